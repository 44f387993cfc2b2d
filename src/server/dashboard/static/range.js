// The from/to date form shared by the reports and knowledge pages (kept in the URL).
import { addDays, state, todayIn } from './common.js';

export function setupRange(onChange) {
  const form = document.getElementById('range');
  const from = document.getElementById('from');
  const to = document.getElementById('to');
  const params = new URLSearchParams(location.search);
  const today = todayIn(state.timeZone);
  to.value = params.get('to') ?? today;
  from.value = params.get('from') ?? addDays(to.value, -6);
  const current = () => ({ from: from.value, to: to.value });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    history.replaceState(null, '', `${location.pathname}?from=${from.value}&to=${to.value}`);
    onChange(current());
  });
  return current;
}
