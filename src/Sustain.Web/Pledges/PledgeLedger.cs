using Microsoft.EntityFrameworkCore;
using Sustain.Core;
using Sustain.Core.Ledger;
using Sustain.Data;
using Sustain.Data.Ledger;
using Sustain.Data.Pledges;
using Sustain.Web.Payments;

namespace Sustain.Web.Pledges;

/// <summary>
/// What a payment fact does to pledges, payments and the ledger, inside the caller's database
/// transaction. Every method is written so that facts can come in any order: a payment, its refunds
/// and its disputes each set a fact, and <see cref="ReconcileAsync"/> moves the ledger to where the
/// facts say it should be (docs/adr/ADR-005-ledger.md).
/// </summary>
public sealed class PledgeLedger(SustainDbContext db)
{
    /// <summary>The webhook's unit of work, for handlers of events that are not about payments (connected accounts).</summary>
    public SustainDbContext Database => db;

    public async Task<Pledge?> FindPledgeAsync(Guid? pledgeId, string? subscriptionId, CancellationToken cancellation)
    {
        if (pledgeId is { } id && await db.Pledges.SingleOrDefaultAsync(p => p.Id == id, cancellation) is { } pledge)
            return pledge;
        return subscriptionId is null ? null : await db.Pledges.FirstOrDefaultAsync(p => p.SubscriptionId == subscriptionId, cancellation);
    }

    /// <summary>Records a payment received for <paramref name="pledge"/> and spreads it; then applies any refund or dispute that came first.</summary>
    public async Task<string> RecordPaymentAsync(Pledge pledge, string paymentIntentId, PaymentSettlement settlement, string? invoiceId, DateTimeOffset paidAt, string eventId, CancellationToken cancellation)
    {
        if (!string.Equals(settlement.Amount.Currency.Code, pledge.Currency, StringComparison.Ordinal))
            return $"ignored: payment {paymentIntentId} is in {settlement.Amount.Currency.Code}, the pledge in {pledge.Currency}";
        var payment = await PaymentAsync(paymentIntentId, cancellation);
        if (payment.Recorded)
            return $"payment {paymentIntentId} was already recorded";

        payment.PledgeId = pledge.Id;
        payment.OrganisationId = pledge.OrganisationId;
        payment.Recorded = true;
        payment.Currency = pledge.Currency;
        payment.GrossMinor = settlement.Amount.Minor;
        payment.FeeMinor = settlement.Fee.Minor;
        payment.ChargeId = settlement.ChargeId;
        payment.BalanceTransactionId = settlement.BalanceTransactionId;
        payment.InvoiceId = invoiceId;
        payment.PaidAt = paidAt;
        payment.KeptMinor = settlement.Amount.Minor;
        payment.ReceiptNumber = $"SUS-{paidAt.UtcDateTime.Year}-{payment.Id.ToString("N")[^10..].ToUpperInvariant()}";

        var split = await SplitAsync(payment, pledge.SnapshotId, cancellation);
        Post(split.Payment(), payment, eventId, $"Payment {payment.ReceiptNumber} for pledge {pledge.Id}", paidAt);
        if (pledge.LastPaidAt is null || paidAt > pledge.LastPaidAt)
            pledge.LastPaidAt = paidAt;
        await db.SaveChangesAsync(cancellation);

        var caughtUp = await ReconcileAsync(payment, LedgerKinds.Refund, eventId, paidAt, cancellation);
        await RefreshStatusAsync(pledge, cancellation);
        var applied = $"applied: payment {paymentIntentId} of {settlement.Amount} (fee {settlement.Fee})";
        return payment.KeptMinor == settlement.Amount.Minor ? applied : $"{applied}; then {caughtUp}";
    }

    /// <summary>A <c>charge.refunded</c>: Stripe gives the running total refunded, so the largest one seen wins.</summary>
    public async Task<string> RefundAsync(string paymentIntentId, long amountRefunded, string eventId, DateTimeOffset at, CancellationToken cancellation)
    {
        var payment = await PaymentAsync(paymentIntentId, cancellation);
        payment.RefundedMinor = Math.Max(payment.RefundedMinor, amountRefunded);
        await db.SaveChangesAsync(cancellation);
        return await SettleAsync(payment, LedgerKinds.Refund, eventId, at, cancellation);
    }

    /// <summary>A dispute opened or closed. A closed dispute stays closed, whichever of the two events came first.</summary>
    public async Task<string> DisputeAsync(string disputeId, string paymentIntentId, Money amount, bool closed, bool won, string eventId, DateTimeOffset at, CancellationToken cancellation)
    {
        var dispute = await db.PaymentDisputes.SingleOrDefaultAsync(d => d.Id == disputeId, cancellation);
        if (dispute is null)
        {
            db.PaymentDisputes.Add(new PaymentDispute
            {
                Id = disputeId,
                PaymentIntentId = paymentIntentId,
                AmountMinor = amount.Minor,
                Currency = amount.Currency.Code,
                Closed = closed,
                Won = closed && won,
                OpenedAt = at,
            });
        }
        else if (closed)
        {
            dispute.Closed = true;
            dispute.Won = won;
            dispute.AmountMinor = amount.Minor;
        }

        var payment = await PaymentAsync(paymentIntentId, cancellation);
        await db.SaveChangesAsync(cancellation);
        return await SettleAsync(payment, LedgerKinds.Dispute, eventId, at, cancellation);
    }

    public async Task RefreshStatusAsync(Pledge pledge, CancellationToken cancellation)
    {
        var kept = await db.PledgePayments.Where(p => p.PledgeId == pledge.Id && p.Recorded).Select(p => p.KeptMinor).ToListAsync(cancellation);
        pledge.Status = PledgeStatuses.From(pledge, kept);
    }

    private async Task<string> SettleAsync(PledgePayment payment, string kind, string eventId, DateTimeOffset at, CancellationToken cancellation)
    {
        var outcome = await ReconcileAsync(payment, kind, eventId, at, cancellation);
        if (payment.PledgeId is { } pledgeId && await db.Pledges.SingleOrDefaultAsync(p => p.Id == pledgeId, cancellation) is { } pledge)
        {
            await db.SaveChangesAsync(cancellation);
            await RefreshStatusAsync(pledge, cancellation);
        }

        return outcome ?? $"waiting: payment {payment.PaymentIntentId} has not arrived; applied when it does";
    }

    /// <summary>Moves the payment's ledger position to what its refunds and disputes say is kept; null when its payment is not recorded yet.</summary>
    private async Task<string?> ReconcileAsync(PledgePayment payment, string kind, string eventId, DateTimeOffset at, CancellationToken cancellation)
    {
        if (!payment.Recorded || payment.PledgeId is not { } pledgeId)
            return null;
        var withdrawn = await db.PaymentDisputes.Where(d => d.PaymentIntentId == payment.PaymentIntentId && !d.Won).SumAsync(d => d.AmountMinor, cancellation);
        var target = Math.Max(0, payment.GrossMinor - Math.Min(payment.GrossMinor, payment.RefundedMinor) - withdrawn);
        if (target == payment.KeptMinor)
            return $"applied: payment {payment.PaymentIntentId} already keeps {new Money(target, Currency.Find(payment.Currency))}";

        var snapshotId = await db.Pledges.Where(p => p.Id == pledgeId).Select(p => p.SnapshotId).SingleAsync(cancellation);
        var split = await SplitAsync(payment, snapshotId, cancellation);
        var movement = target > payment.KeptMinor ? LedgerKinds.DisputeReinstated : kind;
        var adjustment = split.Adjust(movement, payment.KeptMinor, target)!;
        if (movement != LedgerKinds.DisputeReinstated && await EscrowHeldAsync(adjustment, cancellation) is { } held)
            adjustment = EscrowShortfall.Cover(adjustment, held);
        var from = new Money(payment.KeptMinor, split.Currency);
        Post(adjustment, payment, eventId, $"{movement} on {payment.ReceiptNumber}: kept {from} → {new Money(target, split.Currency)}", at);
        payment.KeptMinor = target;
        await db.SaveChangesAsync(cancellation);
        return $"applied: {movement} on payment {payment.PaymentIntentId}, kept {from} → {new Money(target, split.Currency)}";
    }

    /// <summary>
    /// What the escrow accounts <paramref name="transaction"/> takes money from hold now, for <see cref="EscrowShortfall.Cover"/>;
    /// null when none of them has ever paid anything out (to maintainers, or spread to other projects after its hold period),
    /// for then each still holds at least this payment's part. That is the common case, and it reads no ledger lines: every
    /// payment writes to the same escrow accounts, so reading their balances makes concurrent events conflict.
    /// </summary>
    private async Task<Func<string, Currency, long>?> EscrowHeldAsync(LedgerTransaction transaction, CancellationToken cancellation)
    {
        var accounts = transaction.Entries.Where(e => e.Amount.Minor < 0 && LedgerAccounts.IsProjectEscrow(e.Account)).Select(e => e.Account).Distinct().ToList();
        var projects = accounts.Select(a => LedgerAccounts.ProjectOf(a)!).ToList();
        var paidOut = await db.EscrowLineReleases.AnyAsync(r => projects.Contains(r.ProjectKey) && r.ReleasedMinor > 0, cancellation)
            || await db.EscrowNotices.AnyAsync(n => projects.Contains(n.ProjectKey) && n.AmountMinor > 0, cancellation);
        if (!paidOut)
            return null;
        var balances = await db.LedgerLines.Where(l => accounts.Contains(l.Account)).Balances()
            .ToDictionaryAsync(g => (g.Account, g.Currency), g => g.Sum, cancellation);
        return (account, currency) => balances.GetValueOrDefault((account, currency.Code));
    }

    private async Task<PledgePayment> PaymentAsync(string paymentIntentId, CancellationToken cancellation)
    {
        var payment = db.PledgePayments.Local.FirstOrDefault(p => p.PaymentIntentId == paymentIntentId)
            ?? await db.PledgePayments.SingleOrDefaultAsync(p => p.PaymentIntentId == paymentIntentId, cancellation);
        if (payment is null)
        {
            payment = new PledgePayment { PaymentIntentId = paymentIntentId };
            db.PledgePayments.Add(payment);
        }

        return payment;
    }

    private async Task<PaymentSplit> SplitAsync(PledgePayment payment, Guid snapshotId, CancellationToken cancellation)
    {
        var shares = await db.AllocationSnapshotShares.Where(s => s.SnapshotId == snapshotId && s.AmountMinor > 0)
            .Select(s => new { s.ProjectKey, s.AmountMinor }).ToListAsync(cancellation);
        // Ordinal order, whatever the database's collation: the split must be the same every time it is rebuilt.
        var weights = shares.OrderBy(s => s.ProjectKey, StringComparer.Ordinal).Select(s => new ProjectWeight(s.ProjectKey, s.AmountMinor)).ToList();
        var currency = Currency.Find(payment.Currency);
        return PaymentSplit.Create(payment.OrganisationId!.Value, new Money(payment.GrossMinor, currency), new Money(payment.FeeMinor, currency), weights);
    }

    private void Post(LedgerTransaction transaction, PledgePayment payment, string eventId, string description, DateTimeOffset at)
    {
        db.LedgerPostings.Add(new LedgerPosting
        {
            Kind = transaction.Kind,
            PostedAt = at,
            OrganisationId = payment.OrganisationId,
            PledgeId = payment.PledgeId,
            PaymentId = payment.Id,
            EventId = eventId,
            Description = description.Length > 500 ? description[..500] : description,
            Lines = transaction.Entries.Select(e => new LedgerLine
            {
                Account = e.Account,
                Currency = e.Amount.Currency.Code,
                AmountMinor = e.Amount.Minor,
                ProjectKey = LedgerAccounts.ProjectOf(e.Account),
            }).ToList(),
        });
    }
}

public static class PledgeStatuses
{
    /// <summary>A pledge's status from its facts alone, so it does not depend on the order they were learnt in.</summary>
    public static PledgeStatus From(Pledge pledge, IReadOnlyCollection<long> keptPerPayment)
    {
        ArgumentNullException.ThrowIfNull(pledge);
        ArgumentNullException.ThrowIfNull(keptPerPayment);
        if (pledge.EndedAt is not null)
            return PledgeStatus.Cancelled;
        if (keptPerPayment.Count > 0 && keptPerPayment.All(k => k == 0))
            return PledgeStatus.Refunded;
        if (pledge.Frequency == PledgeFrequency.OneOff)
            return keptPerPayment.Count > 0 ? PledgeStatus.Paid : PledgeStatus.AwaitingPayment;
        if (pledge.LastFailedAt is { } failed && (pledge.LastPaidAt is not { } paid || failed > paid))
            return PledgeStatus.PastDue;
        return pledge.LastPaidAt is not null ? PledgeStatus.Active : PledgeStatus.AwaitingPayment;
    }
}
