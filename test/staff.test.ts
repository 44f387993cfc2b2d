import { describe, expect, it } from 'vitest';
import { createStaffService, hashPassword, normalizePhone, verifyPassword } from '../src/staff.js';
import { openDatabase } from '../src/store/db.js';

describe('staff accounts', () => {
  it('hashes passwords with scrypt and verifies them', () => {
    const stored = hashPassword('correct horse battery');
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(stored).not.toContain('correct horse');
    expect(verifyPassword('correct horse battery', stored)).toBe(true);
    expect(verifyPassword('correct horse batterY', stored)).toBe(false);
    expect(verifyPassword('x', 'garbage')).toBe(false);
  });

  it('authenticates only active accounts with the right password', () => {
    const staff = createStaffService(openDatabase(':memory:'));
    staff.add({ username: 'Ani', role: 'staff', password: 'rahasia-sekali-1' });
    expect(staff.authenticate('ani', 'rahasia-sekali-1')?.username).toBe('ani');
    expect(staff.authenticate('ani', 'wrong-password-1')).toBeNull();
    expect(staff.authenticate('nobody', 'rahasia-sekali-1')).toBeNull();
    staff.disable('ani');
    expect(staff.authenticate('ani', 'rahasia-sekali-1')).toBeNull();
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
