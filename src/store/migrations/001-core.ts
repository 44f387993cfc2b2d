import type { Migration } from './types.js';

/** Contacts, conversations, messages, tickets, events, outbox, staff, channel state. */
export const coreSchema: Migration = {
  version: 1,
  name: 'conversation core',
  sql: `
      CREATE TABLE contacts (
        id INTEGER PRIMARY KEY,
        display_name TEXT,
        created_at INTEGER NOT NULL
      );

      -- One person may write from several channels; each identity points to its contact.
      CREATE TABLE identities (
        id INTEGER PRIMARY KEY,
        contact_id INTEGER NOT NULL REFERENCES contacts(id),
        channel TEXT NOT NULL,
        external_id TEXT NOT NULL,
        display_name TEXT,
        phone TEXT,
        username TEXT,
        created_at INTEGER NOT NULL,
        UNIQUE (channel, external_id)
      );
      CREATE INDEX identities_contact ON identities(contact_id);

      -- A contact on one channel: where replies go.
      CREATE TABLE conversations (
        id INTEGER PRIMARY KEY,
        contact_id INTEGER NOT NULL REFERENCES contacts(id),
        channel TEXT NOT NULL,
        external_id TEXT NOT NULL,
        language TEXT NOT NULL DEFAULT 'id' CHECK (language IN ('id', 'en')),
        -- consecutive messages the bot could not understand
        miss_count INTEGER NOT NULL DEFAULT 0,
        -- the bot asked "shall I connect you to an officer?" and awaits yes/no
        awaiting TEXT CHECK (awaiting IN ('handoff_confirm', 'csat_rating', 'csat_comment')),
        awaiting_ticket_id INTEGER,
        created_at INTEGER NOT NULL,
        last_inbound_at INTEGER,
        UNIQUE (channel, external_id)
      );
      CREATE INDEX conversations_contact ON conversations(contact_id);

      CREATE TABLE staff (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        display_name TEXT,
        role TEXT NOT NULL CHECK (role IN ('staff', 'supervisor', 'admin')),
        password_hash TEXT,
        disabled INTEGER NOT NULL DEFAULT 0,
        telegram_user_id TEXT UNIQUE,
        whatsapp_number TEXT UNIQUE,
        failed_logins INTEGER NOT NULL DEFAULT 0,
        locked_until INTEGER,
        created_at INTEGER NOT NULL
      );

      CREATE TABLE tickets (
        id INTEGER PRIMARY KEY AUTOINCREMENT, -- the number applicants see as #<id>
        contact_id INTEGER NOT NULL REFERENCES contacts(id),
        conversation_id INTEGER NOT NULL REFERENCES conversations(id),
        channel TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('complaint', 'handoff')),
        status TEXT NOT NULL CHECK (status IN ('open', 'pending', 'resolved', 'closed')),
        priority TEXT NOT NULL CHECK (priority IN ('normal', 'high')),
        integrity INTEGER NOT NULL DEFAULT 0,
        intent TEXT NOT NULL,
        servqual TEXT NOT NULL CHECK (servqual IN ('tangibles', 'reliability', 'responsiveness', 'assurance', 'empathy')),
        summary TEXT NOT NULL,
        assignee_id INTEGER REFERENCES staff(id),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        first_response_at INTEGER,
        -- oldest applicant message not yet answered by staff (next-response clock)
        awaiting_reply_since INTEGER,
        pending_since INTEGER,
        -- business time the resolution clock was paused (pending), accumulated
        paused_ms INTEGER NOT NULL DEFAULT 0,
        resolved_at INTEGER,
        closed_at INTEGER,
        reopen_count INTEGER NOT NULL DEFAULT 0,
        first_response_due_at INTEGER,
        next_response_due_at INTEGER,
        resolution_due_at INTEGER,
        -- earliest moment the SLA scanner must look at this ticket; NULL = nothing due
        next_sla_check_at INTEGER,
        escalation_level INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX tickets_contact ON tickets(contact_id, status);
      CREATE INDEX tickets_status ON tickets(status, priority);
      CREATE INDEX tickets_sla_check ON tickets(next_sla_check_at) WHERE next_sla_check_at IS NOT NULL;

      CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        conversation_id INTEGER NOT NULL REFERENCES conversations(id),
        channel TEXT NOT NULL,
        ticket_id INTEGER REFERENCES tickets(id),
        direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
        author TEXT NOT NULL CHECK (author IN ('applicant', 'bot', 'staff', 'system')),
        staff_id INTEGER REFERENCES staff(id),
        visibility TEXT NOT NULL DEFAULT 'public' CHECK (visibility IN ('public', 'internal')),
        text TEXT NOT NULL,
        text_truncated INTEGER NOT NULL DEFAULT 0,
        quick_replies TEXT, -- JSON [{label, payload}]
        -- inbound: payload of the quick-reply button pressed (text holds its label)
        quick_reply_payload TEXT,
        -- inbound: provider message id; outbound: provider id once delivered
        external_id TEXT,
        intent TEXT,
        confidence REAL,
        complaint INTEGER,
        created_at INTEGER NOT NULL,
        -- inbound: when the router handled it (NULL = still to do, resumed after a restart)
        processed_at INTEGER,
        -- outbound delivery: queued, sent, failed; NULL for inbound and internal notes
        delivery_status TEXT CHECK (delivery_status IN ('queued', 'sent', 'failed')),
        delivery_error TEXT
      );
      -- A redelivered inbound message is stored once.
      CREATE UNIQUE INDEX messages_inbound_dedupe ON messages(channel, external_id) WHERE direction = 'in';
      CREATE INDEX messages_conversation ON messages(conversation_id, id);
      CREATE INDEX messages_ticket ON messages(ticket_id, id) WHERE ticket_id IS NOT NULL;
      CREATE INDEX messages_unprocessed ON messages(id) WHERE direction = 'in' AND processed_at IS NULL;
      CREATE INDEX messages_created ON messages(created_at);

      CREATE TABLE attachments (
        id INTEGER PRIMARY KEY,
        message_id INTEGER NOT NULL REFERENCES messages(id),
        kind TEXT NOT NULL,
        mime_type TEXT,
        file_name TEXT,
        size_bytes INTEGER,
        provider_ref TEXT,
        data BLOB
      );
      CREATE INDEX attachments_message ON attachments(message_id);

      -- Every change to a ticket: who, what, when.
      CREATE TABLE ticket_events (
        id INTEGER PRIMARY KEY,
        ticket_id INTEGER NOT NULL REFERENCES tickets(id),
        actor TEXT NOT NULL CHECK (actor IN ('applicant', 'bot', 'staff', 'system')),
        staff_id INTEGER REFERENCES staff(id),
        type TEXT NOT NULL,
        data TEXT, -- JSON
        created_at INTEGER NOT NULL
      );
      CREATE INDEX ticket_events_ticket ON ticket_events(ticket_id, id);

      -- Reliable delivery: one row per outbound public message.
      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        message_id INTEGER NOT NULL UNIQUE REFERENCES messages(id),
        conversation_id INTEGER NOT NULL REFERENCES conversations(id),
        channel TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        last_error TEXT,
        created_at INTEGER NOT NULL,
        sent_at INTEGER
      );
      CREATE INDEX outbox_pending ON outbox(next_attempt_at) WHERE status = 'pending';
      CREATE INDEX outbox_conversation_pending ON outbox(conversation_id, id) WHERE status = 'pending';

      -- Adapter state that must survive restarts (WhatsApp keys, Instagram session, cursors).
      CREATE TABLE channel_state (
        channel TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (channel, key)
      );
    `,
};
