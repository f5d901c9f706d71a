#!/usr/bin/env python3
"""Prepares a webhook load run against a running Sustain on SQLite (simulated gateway, Stripe:WebhookSecret set).

Adds PLEDGES one-off pledges of the demo organisation's seeded allocation straight into the database,
then writes one signed Stripe event per line (payload TAB Stripe-Signature) for post-webhooks.lua:
each pledge's checkout, and for some a refund or a dispute, in shuffled order, with DUPLICATE_SHARE
of the lines repeated. Signatures carry the current time: start wrk within Stripe:WebhookToleranceSeconds.

usage: generate-events.py DATABASE WEBHOOK_SECRET OUT_FILE [PLEDGES]
"""
import hashlib, hmac, json, random, sqlite3, sys, time, uuid

DUPLICATE_SHARE = 0.10

def ticks(seconds):
    # DateTimeOffset stored as UTC ticks (100 ns since 0001-01-01).
    return int(seconds * 10_000_000) + 621_355_968_000_000_000

def main():
    database, secret, out = sys.argv[1], sys.argv[2], sys.argv[3]
    pledges = int(sys.argv[4]) if len(sys.argv) > 4 else 8000
    rnd = random.Random(2026)
    db = sqlite3.connect(database)
    org, snapshot = db.execute(
        "select o.Id, s.Id from Organisations o join AllocationSnapshots s on s.OrganisationId = o.Id where o.Slug = 'acme' limit 1").fetchone()
    now = time.time()
    rows, events = [], []
    for _ in range(pledges):
        pledge = str(uuid.uuid4()).upper()
        amount = rnd.randint(1_000, 5_000_000)
        rows.append((pledge, org, snapshot, 'OneOff', amount, 'USD', 'simulated', f'cs_sim_{uuid.uuid4().hex}', ticks(now), 'AwaitingPayment'))
        intent = f'pi_sim_{amount}_usd_{uuid.uuid4().hex}'
        meta = {'pledge_id': pledge.lower()}
        events.append(('checkout.session.completed', {'id': f'cs_sim_{uuid.uuid4().hex}', 'object': 'checkout.session', 'mode': 'payment',
            'payment_status': 'paid', 'status': 'complete', 'amount_total': amount, 'currency': 'usd', 'payment_intent': intent, 'metadata': meta, 'livemode': False}))
        if rnd.random() < 0.3:
            events.append(('charge.refunded', {'id': f'ch_sim_{uuid.uuid4().hex}', 'object': 'charge', 'amount': amount, 'amount_refunded': rnd.randint(1, amount),
                'currency': 'usd', 'payment_intent': intent, 'livemode': False}))
        if rnd.random() < 0.1:
            dispute = {'id': f'dp_{uuid.uuid4().hex}', 'object': 'dispute', 'amount': rnd.randint(1, amount), 'currency': 'usd', 'payment_intent': intent,
                'charge': f'ch_{uuid.uuid4().hex}', 'status': 'needs_response', 'livemode': False}
            events.append(('charge.dispute.created', dispute))
    db.executemany("insert into Pledges (Id, OrganisationId, SnapshotId, Frequency, AmountMinor, Currency, Gateway, CheckoutSessionId, CreatedAt, Status) values (?,?,?,?,?,?,?,?,?,?)", rows)
    db.commit()

    lines = []
    stamp = str(int(time.time()))
    for kind, obj in events:
        body = json.dumps({'id': f'evt_load_{uuid.uuid4().hex}', 'object': 'event', 'type': kind, 'created': int(now), 'livemode': False,
            'api_version': '2025-10-29.clover', 'data': {'object': obj}}, separators=(',', ':'))
        mac = hmac.new(secret.encode(), f'{stamp}.{body}'.encode(), hashlib.sha256).hexdigest()
        lines.append(f'{body}\tt={stamp},v1={mac}')
    lines += rnd.sample(lines, int(len(lines) * DUPLICATE_SHARE))
    rnd.shuffle(lines)
    with open(out, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    print(f'{len(rows)} pledges added; {len(lines)} deliveries written to {out}')

main()
