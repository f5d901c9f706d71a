namespace Sustain.Data.Pledges;

public enum PledgeFrequency
{
    OneOff,
    Monthly,
    Yearly,
}

public enum PledgeStatus
{
    /// <summary>Created; checkout not completed or its payment not yet confirmed.</summary>
    AwaitingPayment,

    /// <summary>A one-off pledge whose payment arrived.</summary>
    Paid,

    /// <summary>A recurring pledge whose latest invoice is paid.</summary>
    Active,

    /// <summary>A recurring pledge whose latest invoice failed.</summary>
    PastDue,

    /// <summary>A recurring pledge whose subscription ended.</summary>
    Cancelled,

    /// <summary>Every payment given back in full (refunds and lost disputes).</summary>
    Refunded,
}

/// <summary>
/// An organisation's commitment to an allocation snapshot, paid through the payment gateway. Its
/// status is worked out from the facts the webhooks recorded (latest paid, latest failed, ended),
/// so it ends the same whatever order the events arrive in.
/// </summary>
public class Pledge
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid OrganisationId { get; set; }

    public Guid SnapshotId { get; set; }

    public PledgeFrequency Frequency { get; set; }

    /// <summary>What each payment is: the snapshot's budget for a one-off, the amount per period otherwise.</summary>
    public long AmountMinor { get; set; }

    /// <summary>ISO 4217 code.</summary>
    public required string Currency { get; set; }

    /// <summary><c>stripe</c> or <c>simulated</c>.</summary>
    public required string Gateway { get; set; }

    public string? CheckoutSessionId { get; set; }

    public string? SubscriptionId { get; set; }

    public string? CreatedByUserId { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;

    public PledgeStatus Status { get; set; }

    public DateTimeOffset? CheckoutCompletedAt { get; set; }

    public DateTimeOffset? LastPaidAt { get; set; }

    public DateTimeOffset? LastFailedAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }
}

/// <summary>
/// One payment received for a pledge (a one-off checkout, or one invoice of a subscription), keyed by
/// its Stripe payment intent. A refund or dispute that arrives before its payment creates the row
/// first with <see cref="Recorded"/> false; the payment fills it in and the ledger catches up.
/// </summary>
public class PledgePayment
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public required string PaymentIntentId { get; set; }

    public Guid? PledgeId { get; set; }

    public Guid? OrganisationId { get; set; }

    /// <summary>True once the payment itself is in the ledger.</summary>
    public bool Recorded { get; set; }

    /// <summary>ISO 4217 code; empty until recorded.</summary>
    public string Currency { get; set; } = "";

    public long GrossMinor { get; set; }

    /// <summary>Stripe's fee, from the charge's balance transaction.</summary>
    public long FeeMinor { get; set; }

    public string? ChargeId { get; set; }

    public string? BalanceTransactionId { get; set; }

    public string? InvoiceId { get; set; }

    public DateTimeOffset? PaidAt { get; set; }

    /// <summary>The most refunded that any <c>charge.refunded</c> reported (Stripe reports a running total).</summary>
    public long RefundedMinor { get; set; }

    /// <summary>What the ledger holds as given: the gross less refunds and disputes not won.</summary>
    public long KeptMinor { get; set; }

    /// <summary>A human reference for the receipt, such as <c>SUS-2026-000042</c>.</summary>
    public string? ReceiptNumber { get; set; }
}

/// <summary>A dispute (chargeback) on a payment, as the latest dispute event described it.</summary>
public class PaymentDispute
{
    /// <summary>Stripe's dispute id, <c>dp_…</c>.</summary>
    public required string Id { get; set; }

    public required string PaymentIntentId { get; set; }

    public long AmountMinor { get; set; }

    public required string Currency { get; set; }

    public bool Closed { get; set; }

    /// <summary>Closed in the platform's favour: the withdrawn money came back.</summary>
    public bool Won { get; set; }

    public DateTimeOffset OpenedAt { get; set; }
}
