import type { Messages, TicketReplyFacts } from './types.js';

const STATUS_TEXT = {
  open: 'sedang ditangani',
  pending: 'menunggu keterangan dari Bapak/Ibu',
  resolved: 'sudah diselesaikan',
  closed: 'sudah ditutup',
} as const;

function when(facts: TicketReplyFacts): string {
  const parts: string[] = [];
  if (facts.opensText) parts.push(`Kantor sedang tutup dan buka kembali ${facts.opensText}.`);
  if (facts.dueText) parts.push(`Petugas akan merespons paling lambat ${facts.dueText}.`);
  else parts.push('Petugas akan merespons pada jam kerja berikutnya.');
  return parts.join(' ');
}

/** The right to escalate (#21): SP4N-LAPOR!, the national public-service complaint system. */
const LAPOR_RIGHT_ID = 'Bapak/Ibu juga berhak menyampaikan pengaduan ke SP4N-LAPOR! di lapor.go.id.';

export const messagesId: Messages = {
  emptyMessage:
    'Pesan Bapak/Ibu kosong. Silakan tuliskan pertanyaan atau keluhan Anda, misalnya "berapa biaya paspor" atau "cara daftar M-Paspor".',
  textOnly:
    'Mohon maaf, saat ini kami hanya dapat membaca pesan teks. Silakan tuliskan pertanyaan atau keluhan Bapak/Ibu.',
  truncated: (kept) =>
    `Pesan Bapak/Ibu sangat panjang; kami menyimpan ${kept.toLocaleString('id-ID')} karakter pertama. Silakan kirim keterangan tambahan dalam pesan terpisah.`,
  complaintOpened: (f) =>
    `Mohon maaf atas ketidaknyamanan yang Bapak/Ibu alami. Keluhan ini kami catat sebagai tiket ${f.ref} dan sudah diteruskan ke petugas layanan. ${when(f)} Bapak/Ibu bisa membalas pesan ini untuk menambahkan keterangan.`,
  integrityOpened: (f) =>
    `Terima kasih sudah melapor. Laporan ini kami catat sebagai tiket ${f.ref} dan sudah diteruskan ke pengawas (supervisor). Biaya resmi paspor hanya dibayar melalui kode billing di aplikasi M-Paspor, tidak melalui perantara atau petugas. ${when(f)} Identitas pelapor kami jaga.`,
  sendHere: (f) =>
    `Silakan kirim foto atau dokumennya di sini, di percakapan ini: kami lampirkan ke tiket ${f.ref} agar petugas bisa melihatnya. ${when(f)}`,
  complaintAdded: (f) =>
    `Keterangan Bapak/Ibu sudah kami tambahkan ke tiket ${f.ref}. ${when(f)}`,
  complaintReopened: (f) =>
    `Tiket ${f.ref} kami buka kembali karena Bapak/Ibu masih mengalami kendala. ${when(f)}`,
  handoffOpened: (f) =>
    `Baik, permintaan Bapak/Ibu untuk berbicara dengan petugas kami catat sebagai tiket ${f.ref}. ${when(f)} Sambil menunggu, Bapak/Ibu tetap bisa bertanya kepada kami.`,
  handoffAlreadyOpen: (f) =>
    `Permintaan Bapak/Ibu sudah tercatat pada tiket ${f.ref} dan petugas sudah diberi tahu. ${when(f)}`,
  attachmentAdded: (ref) => `Lampiran Bapak/Ibu sudah kami tambahkan ke tiket ${ref}.`,
  mediaReceived: (f) => {
    const what = f.what === 'voice' ? 'pesan suara' : f.what === 'photo' ? 'foto' : 'berkas';
    const does = f.what === 'voice' ? 'mendengarkannya' : 'melihatnya';
    const head = f.added
      ? `Terima kasih, ${what} Bapak/Ibu sudah kami tambahkan ke tiket ${f.ref}.`
      : `Terima kasih, ${what} Bapak/Ibu sudah kami terima dan kami catat sebagai tiket ${f.ref}.`;
    const tail = f.what === 'voice' || f.added || f.captioned ? '' : ' Bila sempat, tuliskan juga keperluannya di sini.';
    return `${head} Petugas akan ${does} lalu membalas di percakapan ini. ${when(f)}${tail}`;
  },
  voiceRefused: (reason, limits) => {
    const instead = 'atau tuliskan pesannya di sini.';
    switch (reason) {
      case 'too_long':
        return `Mohon maaf, pesan suara Bapak/Ibu terlalu panjang untuk kami terima (paling lama ${limits.maxMinutes} menit). Silakan kirim ulang dalam beberapa pesan suara yang lebih pendek, ${instead}`;
      case 'too_big':
        return `Mohon maaf, rekaman suara Bapak/Ibu terlalu besar untuk kami terima (paling besar ${limits.maxMegabytes} MB, sekitar ${limits.maxMinutes} menit). Silakan kirim ulang sebagai pesan suara yang lebih pendek, ${instead}`;
      case 'wrong_type':
        return `Mohon maaf, jenis rekaman ini tidak dapat kami putar. Silakan kirim sebagai pesan suara biasa (tekan dan tahan tombol mikrofon), ${instead}`;
      case 'not_received':
        return `Mohon maaf, pesan suara Bapak/Ibu tidak berhasil kami terima. Silakan kirim ulang, ${instead}`;
    }
  },
  fileNotReceived:
    'Mohon maaf, berkas Bapak/Ibu tidak berhasil kami terima; mungkin ukurannya terlalu besar atau jenisnya tidak kami terima (foto JPG/PNG atau PDF). Silakan kirim ulang, atau tuliskan pesannya di sini.',
  statusReport: (f) => {
    const lines = [`Tiket ${f.ref}: ${STATUS_TEXT[f.status]}.`];
    if (f.lastStaffReply) lines.push(`Balasan terakhir petugas: "${f.lastStaffReply}"`);
    if (f.status === 'open' || f.status === 'pending') {
      if (f.opensText) lines.push(`Kantor sedang tutup dan buka kembali ${f.opensText}.`);
      if (f.held) lines.push('Petugas sedang menangani tiket ini; balasan akan dikirim lewat percakapan ini.');
      else if (f.dueText) lines.push(`Petugas akan merespons paling lambat ${f.dueText}.`);
      else lines.push('Petugas akan merespons pada jam kerja berikutnya.');
    } else {
      lines.push('Jika masih ada kendala, balas pesan ini dan tiket akan kami buka kembali.');
    }
    return lines.join('\n');
  },
  statusNotFound: (n) =>
    `Tiket #${n} tidak kami temukan di antara tiket Bapak/Ibu. Mohon periksa kembali nomornya, atau ketik "status tiket" untuk melihat tiket terakhir Anda.`,
  statusNone: 'Kami belum menemukan tiket atas nama Bapak/Ibu di percakapan ini. Jika ingin menyampaikan keluhan, silakan tuliskan di sini.',
  offerHuman:
    'Mohon maaf, kami belum memahami pertanyaan Bapak/Ibu. Apakah Bapak/Ibu ingin dihubungkan dengan petugas?',
  offerHumanYes: 'Ya, hubungkan petugas',
  offerHumanNo: 'Tidak, terima kasih',
  handoffDeclined: 'Baik. Silakan tuliskan pertanyaan Bapak/Ibu dengan kata lain, atau pilih topik di bawah ini.',
  priorityNote:
    'Untuk lansia, penyandang disabilitas, ibu hamil dan balita tersedia layanan prioritas; petugas akan membantu langsung di kantor, dan anggota keluarga boleh mendampingi.',
  afterHoursFaq: (opens) => `Kantor sedang tutup; buka kembali ${opens}. Pertanyaan umum tetap kami jawab kapan saja.`,
  vagueOpener:
    'Tentu, dengan senang hati kami bantu. Soal apa, Bapak/Ibu? Pilih topik di bawah ini atau tuliskan pertanyaannya, misalnya "biaya paspor" atau "paspor hilang".',
  clarify: 'Mohon maaf, kami ingin memastikan dulu: maksud Bapak/Ibu yang mana? Pilih di bawah ini, atau tulis pertanyaannya dengan kata lain.',
  nothingMore: (topic) =>
    `Jawaban kami soal "${topic}" sudah kami kirim di atas, dan kami belum punya keterangan yang lebih rinci untuk pertanyaan ini. Petugas bisa menjawabnya: tekan "Tanya petugas", atau tulis pertanyaannya dengan kata lain.`,
  thatIsAll: (topic) =>
    `Itu saja keterangan kami soal "${topic}", semuanya sudah kami kirim di atas. Bila masih ada yang ingin ditanyakan, tulis saja pertanyaannya, atau tekan "Tanya petugas".`,
  fromAnswer: (topic, line) => `Dari keterangan kami soal "${topic}": ${line}`,
  inTicketNote: (ref) => `Pesan ini juga kami teruskan ke petugas di tiket ${ref}.`,
  clarifyOne: (topic) => `Mohon maaf, kami ingin memastikan dulu: maksud Bapak/Ibu tentang "${topic}"? Pilih di bawah ini, atau tulis pertanyaannya dengan kata lain.`,
  moreLabel: 'Selengkapnya',
  askOfficerLabel: 'Tanya petugas',
  heldAcknowledged: (f) =>
    `Pesan Bapak/Ibu sudah kami teruskan ke petugas yang menangani tiket ${f.ref}; balasannya akan dikirim di percakapan ini.${f.opensText ? ` Kantor sedang tutup dan buka kembali ${f.opensText}.` : ''}`,
  selfHelpTicket: (f) =>
    `Mohon maaf, langkah tadi belum berhasil. ${f.added ? `Kendala ini kami tambahkan ke tiket ${f.ref}` : `Kendala "${f.topic}" ini kami catat sebagai tiket ${f.ref}`} dan teruskan ke petugas. ${when(f)} Bila ada, kirimkan tangkapan layar pesan errornya atau email yang didaftarkan di M-Paspor.`,
  scamWarning: (f) =>
    `Hati-hati, itu ciri penipuan. Kantor Imigrasi tidak pernah meminta transfer ke rekening pribadi dan tidak menjual kuota lewat WhatsApp atau media sosial. Permohonan paspor hanya lewat aplikasi M-Paspor, dan biaya resmi hanya dibayar melalui kode billing dari M-Paspor. Mohon jangan mentransfer uang. Laporan ini kami catat sebagai tiket ${f.ref} dan sudah diteruskan ke pengawas (supervisor). ${when(f)}`,
  ticketReopenedByStaff: (f) =>
    `Tiket ${f.ref} dibuka kembali oleh petugas dan sedang ditangani lagi. ${when(f)} Bapak/Ibu bisa membalas pesan ini untuk menambahkan keterangan.`,
  internalError:
    'Mohon maaf, terjadi gangguan saat memproses pesan Bapak/Ibu. Silakan kirim ulang beberapa saat lagi, atau ketik "petugas" untuk dihubungkan dengan petugas.',
  csatQuestion: (ref) =>
    `Tiket ${ref} sudah kami selesaikan. Bagaimana penilaian Bapak/Ibu atas bantuan kami? Pilih 1 (sangat buruk) sampai 5 (sangat baik), atau balas dengan angka 1-5.`,
  csatThanks: (rating, options = {}) =>
    rating <= 2
      ? 'Terima kasih atas penilaiannya. Mohon maaf layanan kami belum memuaskan; pengawas kami akan meninjaunya. Jika berkenan, tuliskan apa yang perlu kami perbaiki.' +
        (options.fromLapor ? '' : `\n\n${LAPOR_RIGHT_ID}`)
      : 'Terima kasih atas penilaiannya! Jika berkenan, tuliskan saran atau komentar Bapak/Ibu.',
  laporAfterBreach: (ref) =>
    `Mohon maaf, keluhan ${ref} belum selesai dalam batas waktu layanan kami. Petugas tetap menanganinya.\n\n${LAPOR_RIGHT_ID} Sebutkan nomor tiket ${ref}.`,
  csatSkipLabel: 'Lewati',
  csatCommentThanks: 'Terima kasih, masukan Bapak/Ibu sudah kami catat.',
  slowDown: 'Pesan Bapak/Ibu banyak sekali dalam waktu singkat. Mohon tunggu sebentar; semua pesan tetap kami simpan dan petugas dapat membacanya.',
};
