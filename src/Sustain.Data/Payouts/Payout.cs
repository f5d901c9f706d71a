namespace Sustain.Data.Payouts;

public enum PayoutState
{
    /// <summary>Written, with the payable reserved, before Stripe is asked.</summary>
    Pending,

    /// <summary>Sent to Stripe; the answer is not recorded yet (a crash, a timeout). The next run asks again with the same idempotency key.</summary>
    Submitted,

    /// <summary>Stripe made the transfer.</summary>
    Paid,

    /// <summary>Stripe refused it; the reservation was reversed and the money is payable again.</summary>
    Failed,
}

/// <summary>
/// A transfer of a maintainer's payable balance to their connected account. The row and its ledger reservation
/// are written in one database transaction before Stripe is called, and Stripe is called with
/// <see cref="IdempotencyKey"/>, so a run that stops at any point and starts again never pays twice.
/// </summary>
public class Payout
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public required string UserId { get; set; }

    /// <summary>The Stripe connected account (<c>acct_…</c>) paid.</summary>
    public required string ConnectedAccountId { get; set; }

    /// <summary>ISO 4217 code.</summary>
    public required string Currency { get; set; }

    public long AmountMinor { get; set; }

    public PayoutState State { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;

    public DateTimeOffset? SubmittedAt { get; set; }

    /// <summary>When it was paid or failed.</summary>
    public DateTimeOffset? SettledAt { get; set; }

    /// <summary>Stripe's transfer (<c>tr_…</c>) once it exists.</summary>
    public string? TransferId { get; set; }

    /// <summary>How many times Stripe was asked.</summary>
    public int Attempts { get; set; }

    /// <summary>Why the latest attempt did not pay: Stripe's refusal, or why Stripe could not be reached.</summary>
    public string? LastError { get; set; }

    public string IdempotencyKey => $"payout-{Id:N}";
}

/// <summary>
/// A maintainer's Stripe Connect Express account, as the latest <c>account.updated</c> (or the onboarding return) described it.
/// </summary>
public class ConnectedAccount
{
    /// <summary>One connected account per user.</summary>
    public required string UserId { get; set; }

    /// <summary><c>acct_…</c>.</summary>
    public required string AccountId { get; set; }

    /// <summary><c>stripe</c> or <c>simulated</c>.</summary>
    public required string Gateway { get; set; }

    public bool DetailsSubmitted { get; set; }

    public bool ChargesEnabled { get; set; }

    public bool PayoutsEnabled { get; set; }

    /// <summary>What Stripe still needs from the maintainer (its <c>requirements.currently_due</c>), comma-separated; empty when nothing.</summary>
    public string RequirementsDue { get; set; } = "";

    /// <summary>Why Stripe disabled the account, when it did.</summary>
    public string? DisabledReason { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;

    public DateTimeOffset UpdatedAt { get; set; } = DateTimeOffset.UtcNow;
}

/// <summary>Marks one escrow ledger line as handed to its project's maintainers, so the distribution never hands it twice.</summary>
public class EscrowLineRelease : IAppendOnly
{
    /// <summary>The escrow <c>LedgerLine</c> released; its key, so a line is released once.</summary>
    public long LineId { get; set; }

    public required string ProjectKey { get; set; }

    /// <summary>What was released for it: its amount, or less when refunds had already taken part of the escrow.</summary>
    public long ReleasedMinor { get; set; }

    /// <summary>The split version used; null when nothing was released.</summary>
    public Guid? SplitVersionId { get; set; }

    public DateTimeOffset At { get; set; } = DateTimeOffset.UtcNow;
}

/// <summary>An organisation told that escrow it gave to an unclaimed project was spread over its other projects.</summary>
public class EscrowNotice : IAppendOnly
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid OrganisationId { get; set; }

    public required string ProjectKey { get; set; }

    public required string Currency { get; set; }

    public long AmountMinor { get; set; }

    public DateTimeOffset At { get; set; } = DateTimeOffset.UtcNow;

    public required string Text { get; set; }
}
