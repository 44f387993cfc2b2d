import type { Messages, TicketReplyFacts } from './types.js';

const STATUS_TEXT = {
  open: 'being handled',
  pending: 'waiting for more information from you',
  resolved: 'resolved',
  closed: 'closed',
} as const;

function when(facts: TicketReplyFacts): string {
  const parts: string[] = [];
  if (facts.opensText) parts.push(`The office is closed now and opens again ${facts.opensText}.`);
  if (facts.dueText) parts.push(`An officer will respond by ${facts.dueText}.`);
  else parts.push('An officer will respond during the next office hours.');
  return parts.join(' ');
}

/** The right to escalate (#21): SP4N-LAPOR!, the national public-service complaint system. */
const LAPOR_RIGHT_EN = 'You also have the right to complain to SP4N-LAPOR!, the national public-service complaint system, at lapor.go.id.';

export const messagesEn: Messages = {
  emptyMessage: 'Your message was empty. Please type your question or complaint, for example "passport fee" or "how to register on M-Paspor".',
  textOnly: 'Sorry, we can only read text messages at the moment. Please type your question or complaint.',
  truncated: (kept) =>
    `Your message was very long; we kept the first ${kept.toLocaleString('en-US')} characters. Please send further details in a separate message.`,
  complaintOpened: (f) =>
    `We are sorry for the inconvenience. We have recorded your complaint as ticket ${f.ref} and passed it to our service officers. ${when(f)} You can reply to this message to add details.`,
  integrityOpened: (f) =>
    `Thank you for reporting this. We have recorded it as ticket ${f.ref} and informed a supervisor. Official passport fees are paid only through the billing code in the M-Paspor app, never through brokers or officers. ${when(f)} Your identity is protected.`,
  sendHere: (f) => `Please send the photo or document here, in this chat: we attach it to ticket ${f.ref} for the officer to see. ${when(f)}`,
  complaintAdded: (f) => `We have added your details to ticket ${f.ref}. ${when(f)}`,
  complaintReopened: (f) => `We have reopened ticket ${f.ref} because the problem is not solved yet. ${when(f)}`,
  handoffOpened: (f) =>
    `Sure. Your request to talk to an officer is recorded as ticket ${f.ref}. ${when(f)} Meanwhile you can still ask us questions.`,
  handoffAlreadyOpen: (f) => `Your request is already recorded as ticket ${f.ref} and the officers have been told. ${when(f)}`,
  attachmentAdded: (ref) => `We have added your attachment to ticket ${ref}.`,
  mediaReceived: (f) => {
    const what = f.what === 'voice' ? 'voice message' : f.what === 'photo' ? 'photo' : 'file';
    const does = f.what === 'voice' ? 'listen to it' : 'look at it';
    const head = f.added ? `Thank you, we have added your ${what} to ticket ${f.ref}.` : `Thank you, we have received your ${what} and recorded it as ticket ${f.ref}.`;
    const tail = f.what === 'voice' || f.added || f.captioned ? '' : ' If you can, please also write what you need here.';
    return `${head} An officer will ${does} and reply in this chat. ${when(f)}${tail}`;
  },
  voiceRefused: (reason, limits) => {
    const instead = 'or type your message here.';
    switch (reason) {
      case 'too_long':
        return `Sorry, your voice message is too long for us to receive (at most ${limits.maxMinutes} minutes). Please send it again as several shorter voice messages, ${instead}`;
      case 'too_big':
        return `Sorry, your recording is too large for us to receive (at most ${limits.maxMegabytes} MB, about ${limits.maxMinutes} minutes). Please send a shorter voice message, ${instead}`;
      case 'wrong_type':
        return `Sorry, we cannot play this kind of recording. Please send it as an ordinary voice message (press and hold the microphone button), ${instead}`;
      case 'not_received':
        return `Sorry, we could not receive your voice message. Please send it again, ${instead}`;
    }
  },
  fileNotReceived:
    'Sorry, we could not receive your file; it may be too large or of a type we do not accept (JPG/PNG photos or PDF). Please send it again, or type your message here.',
  statusReport: (f) => {
    const lines = [`Ticket ${f.ref}: ${STATUS_TEXT[f.status]}.`];
    if (f.lastStaffReply) lines.push(`Latest reply from an officer: "${f.lastStaffReply}"`);
    if (f.status === 'open' || f.status === 'pending') {
      if (f.opensText) lines.push(`The office is closed now and opens again ${f.opensText}.`);
      if (f.held) lines.push('An officer is working on it; the reply will come in this chat.');
      else if (f.dueText) lines.push(`An officer will respond by ${f.dueText}.`);
      else lines.push('An officer will respond during the next office hours.');
    } else {
      lines.push('If the problem continues, reply here and we will reopen the ticket.');
    }
    return lines.join('\n');
  },
  statusNotFound: (n) => `We could not find ticket #${n} among your tickets. Please check the number, or type "ticket status" to see your latest ticket.`,
  statusNone: 'We could not find any ticket of yours in this chat. If you want to file a complaint, just write it here.',
  offerHuman: "Sorry, we did not understand your question. Would you like to talk to an officer?",
  offerHumanYes: 'Yes, connect me',
  offerHumanNo: 'No, thanks',
  handoffDeclined: 'All right. Please rephrase your question, or pick a topic below.',
  priorityNote:
    'Elderly applicants, people with disabilities, pregnant women and infants get priority service; officers help on site and a family member may assist.',
  afterHoursFaq: (opens) => `The office is closed now and opens again ${opens}. We still answer general questions at any time.`,
  vagueOpener:
    'Of course, we are glad to help. What is it about? Pick a topic below or type your question, for example "passport fee" or "lost passport".',
  clarify: 'Sorry, we want to be sure first: which of these do you mean? Pick one below, or put your question in other words.',
  nothingMore: (topic) =>
    `Our answer on "${topic}" is above, and we have nothing more detailed for this question. An officer can answer it: press "Ask an officer", or put the question in other words.`,
  thatIsAll: (topic) =>
    `That is all we have on "${topic}"; all of it is in our messages above. If you have another question, just type it, or press "Ask an officer".`,
  fromAnswer: (topic, line) => `From our answer on "${topic}": ${line}`,
  inTicketNote: (ref) => `We have also passed this message to the officer on ticket ${ref}.`,
  clarifyOne: (topic) => `Sorry, we want to be sure first: do you mean "${topic}"? Pick below, or put your question in other words.`,
  moreLabel: 'More',
  askOfficerLabel: 'Ask an officer',
  heldAcknowledged: (f) =>
    `We have passed your message to the officer handling ticket ${f.ref}; the reply will come in this chat.${f.opensText ? ` The office is closed now and opens again ${f.opensText}.` : ''}`,
  selfHelpTicket: (f) =>
    `Sorry that the steps did not work. ${f.added ? `We have added this to ticket ${f.ref}` : `We have recorded the problem "${f.topic}" as ticket ${f.ref}`} and passed it to an officer. ${when(f)} If you can, send a screenshot of the error message or the e-mail you registered in M-Paspor.`,
  scamWarning: (f) =>
    `Please be careful: this looks like a scam. The immigration office never asks for transfers to personal accounts and does not sell quota on WhatsApp or social media. Passport applications go only through the M-Paspor app, and official fees are paid only through the M-Paspor billing code. Please do not transfer any money. We have recorded your report as ticket ${f.ref} and informed a supervisor. ${when(f)}`,
  ticketReopenedByStaff: (f) =>
    `Ticket ${f.ref} has been reopened by an officer and is being handled again. ${when(f)} You can reply to this message to add details.`,
  internalError: 'Sorry, something went wrong while handling your message. Please send it again in a moment, or type "officer" to reach an officer.',
  csatQuestion: (ref) =>
    `Ticket ${ref} has been resolved. How would you rate our help? Pick 1 (very poor) to 5 (very good), or reply with a number from 1 to 5.`,
  csatThanks: (rating, options = {}) =>
    rating <= 2
      ? 'Thank you for your rating. We are sorry we did not do better; a supervisor will review it. If you like, tell us what we should improve.' +
        (options.fromLapor ? '' : `\n\n${LAPOR_RIGHT_EN}`)
      : 'Thank you for your rating! If you like, write us a comment or suggestion.',
  laporAfterBreach: (ref) =>
    `We are sorry: complaint ${ref} was not settled within our service time. An officer is still working on it.\n\n${LAPOR_RIGHT_EN} Please mention ticket ${ref}.`,
  csatSkipLabel: 'Skip',
  csatCommentThanks: 'Thank you, we have noted your feedback.',
  slowDown: 'You have sent many messages in a short time. Please wait a moment; every message is kept and officers can read them.',
};
