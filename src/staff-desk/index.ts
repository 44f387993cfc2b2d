/** Transport-neutral staff commands: every staff chat binding imports from here. */
export { looksLikeCommand, parseStaffButton, parseStaffCommand, staffButtonPayload } from './commands.js';
export type { StaffButtonAction, StaffCommand, StaffRequest } from './commands.js';
export { createStaffDesk } from './desk.js';
export type { StaffDesk, StaffDeskDeps, StaffDeskOutcome, StaffDeskResult, StaffIdentity } from './desk.js';
export { createOnceLog } from './once.js';
export type { OnceLog, OnceResult } from './once.js';
export { findTicketPost } from './ticket-posts.js';
export type { TicketPost } from './ticket-posts.js';
export { deskTexts } from './texts.js';
export { renderTicket } from './ticket-view.js';
