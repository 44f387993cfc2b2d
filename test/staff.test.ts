import { describe, expect, it } from 'vitest';
import { createStaffService, hashPassword, normalizePhone, verifyPassword } from '../src/staff.js';
import { openDatabase } from '../src/store/db.js';

describe('staff accounts', () => {
  it('hashes passwords with scrypt and verifies them', async () => {
    const stored = hashPassword('correct horse battery');
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(stored).not.toContain('correct horse');
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse batterY', stored)).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
  });

  it('authenticates only active accounts with the right password', async () => {
    const staff = createStaffService(openDatabase(':memory:'));
    staff.add({ username: 'Ani', role: 'staff', password: 'rahasia-sekali-1' });
    expect((await staff.authenticate('ani', 'rahasia-sekali-1'))?.username).toBe('ani');
    expect(await staff.authenticate('ani', 'wrong-password-1')).toBeNull();
    expect(await staff.authenticate('nobody', 'rahasia-sekali-1')).toBeNull();
    staff.disable('ani');
    expect(await staff.authenticate('ani', 'rahasia-sekali-1')).toBeNull();
  });

  it('refuses weak passwords with a reason, at creation and at a password change', () => {
    const staff = createStaffService(openDatabase(':memory:'));
    for (const weak of ['1111111111', '1234567890', 'password123', 'qwertyuiop', 'abcdefghij', 'kupang2026', 'ani12345678']) {
      expect(() => staff.add({ username: 'ani', role: 'staff', password: weak }), weak).toThrow(/too weak \(strength [0-2] of 4, at least 3 needed\)/);
    }
    expect(() => staff.add({ username: 'ani', role: 'staff', password: '1111111111' })).toThrow(/repeated characters/);
    expect(() => staff.add({ username: 'ani', role: 'staff', password: 'pendek' })).toThrow(/at least 10 characters/);
    staff.add({ username: 'ani', role: 'staff', password: 'rahasia-sekali-1', displayName: 'Ani Ndun' });
    // The account's own name counts as guessable.
    expect(() => staff.setPassword('ani', 'Ani Ndun 12')).toThrow(/username, the name/);
    expect(() => staff.setPassword('ani', '1111111111')).toThrow(/too weak/);
    expect(staff.setPassword('ani', 'sepeda-biru-lasiana').username).toBe('ani');
  });

  it('finds linked accounts by Telegram id and WhatsApp number, refusing double links', () => {
    const staff = createStaffService(openDatabase(':memory:'));
    staff.add({ username: 'ani', role: 'staff', password: 'rahasia-sekali-1' });
    staff.add({ username: 'budi', role: 'admin', password: 'rahasia-sekali-2' });
    staff.linkTelegram('ani', '42');
    staff.linkWhatsapp('budi', '+62 812 3456 7890');
    expect(staff.findByTelegramUserId('42')?.username).toBe('ani');
    expect(staff.findByWhatsappNumber('081234567890')?.username).toBe('budi');
    expect(() => staff.linkTelegram('budi', '42')).toThrow(/already linked to "ani"/);
    expect(normalizePhone('0812 3456 7890')).toBe('6281234567890');
    expect(normalizePhone('12')).toBeNull();
  });
});
