/**
 * Reply-language detection: English when the applicant clearly writes English, Indonesian
 * otherwise (Kupang Malay and chat Indonesian are answered in standard Indonesian).
 */
import type { Language } from '../knowledge/types.js';
import { cleanText } from './normalize.js';

/** Words that only English messages use. Loanwords shared with Indonesian chat (error, upload, ok) are absent. */
const ENGLISH = new Set(
  `the a an is are am was were be been do does did can could would should will shall may might must
  i i'm im me my mine we our you your he she it its they their this that these those there here
  what when where which who whom whose why how much many long
  not no don't dont didn't didnt doesn't doesnt isn't cannot can't cant won't haven't hasn't
  and or but if so because with without for to of in on at from by about into after before
  please pls plz thank thanks thankyou hello hey good morning afternoon evening
  passport passports price prices cost costs fee fees pay paid payment money expensive
  need needs want wants get got make apply applying application register registration account
  new old lost stolen damaged broken torn wet renew renewal extend expired replace replacement
  child children kid kids baby infant son daughter elderly disabled wheelchair pregnant
  office address open opening hours phone number contact located location
  appointment schedule slot slots change cancel missed full available
  photo picture document documents failed fails fail crash crashes crashed forgot reset
  verification verify activation code receive received coming arrived send sent
  how long ready pick pickup collect take takes taking delivery deliver
  same day days week weeks today tomorrow fast quick urgent urgently faster requirements requirement required bring
  speak talk staff officer agent human person real someone complaint ticket report
  still yet already again just only also very too though although however
  she's he's it's i've i'd i'll you're they're that's what's there's married single divorced widowed`.split(/\s+/),
);

/** Words that mark Indonesian or Kupang Malay. */
const INDONESIAN = new Set(
  `saya sy aku gw beta botong katong lu kamu anda kakak kak min admin bapak ibu pak bu
  apa apakah berapa brp bagaimana gimana gmn bagemana kapan kpn dimana di mana siapa kenapa knp
  tidak tdk ga gak nggak ngga sonde son belum blm sudah udah udh sdh su bisa bs mau mo ingin
  dan atau yang yg dengan deng dgn untuk utk dari ke pada ini itu ada tolong mohon terima kasih
  makasih paspor pasport biaya harga bayar syarat anak bayi hilang rusak buat bikin urus perpanjang
  jadwal kuota daftar akun kode kirim masuk tunggu lama hari kerja kantor imigrasi alamat jam buka
  petugas antri antrian ambil jadi selesai baru lama tiket keluhan aduan pelayanan layanan
  selamat pagi siang sore malam halo salam shalom assalamualaikum pung juga saja aja lagi lg
  kah nya dong sih deh ya kok`.split(/\s+/),
);

/** `cleaned` is the output of `cleanText` (the classifier has it already); other text is cleaned here. */
export function detectLanguage(text: string, options: { readonly cleaned?: boolean } = {}): Language {
  let english = 0;
  let indonesian = 0;
  for (const match of (options.cleaned === true ? text : cleanText(text)).matchAll(/[\p{L}']+/gu)) {
    const word = match[0];
    if (INDONESIAN.has(word)) indonesian += 1;
    else if (ENGLISH.has(word)) english += 1;
  }
  return english > indonesian ? 'en' : 'id';
}
