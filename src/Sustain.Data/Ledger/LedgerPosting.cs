namespace Sustain.Data.Ledger;

/// <summary>
/// One ledger transaction as stored: balanced entries (<see cref="LedgerLine"/>) posted together,
/// with what caused it. Never changed or deleted; a correction is another posting.
/// </summary>
public class LedgerPosting : IAppendOnly
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>
    /// When the event happened, which orders the ledger's history. Not the order postings are written in:
    /// a late webhook is posted at its event's time.
    /// </summary>
    public DateTimeOffset PostedAt { get; set; } = DateTimeOffset.UtcNow;

    /// <summary>
    /// When this posting was written, by the writing server's clock. Readers that keep running totals
    /// (the public leaderboards) read the postings recorded since they last looked.
    /// </summary>
    public DateTimeOffset RecordedAt { get; set; } = DateTimeOffset.UtcNow;

    /// <summary>The <c>Sustain.Core.Ledger.LedgerKinds</c> name: payment, refund, dispute...</summary>
    public required string Kind { get; set; }

    public Guid? OrganisationId { get; set; }

    public Guid? PledgeId { get; set; }

    public Guid? PaymentId { get; set; }

    /// <summary>The payout a payout posting (reserved, settled, reversed) belongs to.</summary>
    public Guid? PayoutId { get; set; }

    /// <summary>The external event that caused it (a Stripe event id), recorded in the same database transaction.</summary>
    public string? EventId { get; set; }

    public required string Description { get; set; }

    public List<LedgerLine> Lines { get; set; } = [];
}

/// <summary>One entry of a posting: an amount (positive a debit) on an account.</summary>
public class LedgerLine : IAppendOnly
{
    public long Id { get; set; }

    public Guid PostingId { get; set; }

    public required string Account { get; set; }

    /// <summary>ISO 4217 code.</summary>
    public required string Currency { get; set; }

    public long AmountMinor { get; set; }

    /// <summary>The project of a project escrow account, so per-project balances need no string parsing.</summary>
    public string? ProjectKey { get; set; }
}

/// <summary>
/// A webhook event taken in: its id is the primary key, inserted in the same database transaction as
/// its effect on the ledger, so a redelivery finds it and does nothing.
/// </summary>
public class ProcessedEvent : IAppendOnly
{
    /// <summary>Stripe's event id, <c>evt_…</c>.</summary>
    public required string Id { get; set; }

    public required string Type { get; set; }

    public bool LiveMode { get; set; }

    /// <summary>When Stripe created the event.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ReceivedAt { get; set; } = DateTimeOffset.UtcNow;

    /// <summary>What processing did: applied, waiting (kept for a payment that has not arrived), or ignored and why.</summary>
    public required string Outcome { get; set; }
}
