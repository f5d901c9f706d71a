using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Sustain.Core;
using Sustain.Core.Ledger;
using Sustain.Core.Payouts;
using Sustain.Data;
using Sustain.Data.Ledger;
using Sustain.Data.Payouts;
using Sustain.Web.Payments;

namespace Sustain.Web.Payouts;

/// <summary>What one payout run did.</summary>
public sealed record PayoutRunResult(int Created, int Paid, int Failed, int StillOpen);

/// <summary>
/// Pays maintainers. A run first moves new escrow to maintainers and settles what Stripe already did, then
/// writes a Pending payout for every maintainer due one, each with its payable reserved in the same database
/// transaction, and only then asks Stripe for each transfer under the payout's idempotency key. A run stopped at
/// any point leaves payouts Pending or Submitted; the next run (or the reconciliation) asks again with the same
/// key, and Stripe answers with the transfer it already made rather than making another.
/// </summary>
public sealed class PayoutRun(
    PayoutLedger ledger,
    EscrowDistributor distributor,
    PayoutReconciler reconciler,
    IConnectGateway connect,
    IOptions<PayoutOptions> options,
    TimeProvider time)
{
    public async Task<PayoutRunResult> RunAsync(Func<int, int, string, Task>? progress, CancellationToken cancellation)
    {
        progress ??= (_, _, _) => Task.CompletedTask;
        await distributor.RunAsync(cancellation);
        await reconciler.RunAsync(cancellation);
        var created = await ledger.WriteAsync("create payouts", db => CreateDueAsync(db, cancellation), cancellation);

        var open = await ledger.WriteAsync("list open payouts", db => db.Payouts.AsNoTracking()
            .Where(p => p.State == PayoutState.Pending || p.State == PayoutState.Submitted)
            .OrderBy(p => p.CreatedAt).ThenBy(p => p.Id).Select(p => p.Id).ToListAsync(cancellation), cancellation);
        int paid = 0, failed = 0, done = 0;
        foreach (var id in open)
        {
            await progress(done, open.Count, $"Paying {open.Count} maintainer(s)");
            switch (await SubmitAsync(id, cancellation))
            {
                case PayoutState.Paid:
                    paid++;
                    break;
                case PayoutState.Failed:
                    failed++;
                    break;
            }

            done++;
        }

        await progress(done, open.Count, $"{paid} paid, {failed} failed");
        return new PayoutRunResult(created, paid, failed, open.Count - paid - failed);
    }

    /// <summary>Sends one open payout to Stripe and records the answer; the payout's state afterwards.</summary>
    public async Task<PayoutState> SubmitAsync(Guid payoutId, CancellationToken cancellation)
    {
        var payout = await ledger.WriteAsync("submit payout", async db =>
        {
            var row = await db.Payouts.SingleAsync(p => p.Id == payoutId, cancellation);
            if (row.State is PayoutState.Pending or PayoutState.Submitted)
            {
                row.State = PayoutState.Submitted;
                row.SubmittedAt ??= time.GetUtcNow();
                row.Attempts++;
            }

            return row;
        }, cancellation);
        if (payout.State is not PayoutState.Submitted)
            return payout.State;

        if (options.Value.PauseBeforeTransfer > TimeSpan.Zero)
            await Task.Delay(options.Value.PauseBeforeTransfer, time, cancellation);

        var amount = new Money(payout.AmountMinor, Currency.Find(payout.Currency));
        try
        {
            var transfer = await connect.CreateTransferAsync(new TransferRequest(payout.Id, payout.ConnectedAccountId, amount, payout.IdempotencyKey), cancellation);
            return await ledger.WriteAsync("settle payout", db => SettleAsync(db, payout.Id, transfer.TransferId, time.GetUtcNow(), cancellation), cancellation);
        }
        catch (TransferRefusedException e)
        {
            return await ledger.WriteAsync("fail payout", db => FailAsync(db, payout.Id, e.Message, time.GetUtcNow(), cancellation), cancellation);
        }
        catch (GatewayUnavailableException e)
        {
            await ledger.WriteAsync("note payout error", async db =>
            {
                var row = await db.Payouts.SingleAsync(p => p.Id == payout.Id, cancellation);
                row.LastError = Trim($"Stripe could not be reached; asked again on the next run. {e.Message}");
                return row.State;
            }, cancellation);
            return PayoutState.Submitted;
        }
    }

    /// <summary>Marks an open payout paid by <paramref name="transferId"/> at <paramref name="at"/> and moves its money from in transit to paid; nothing when it is settled already.</summary>
    internal static async Task<PayoutState> SettleAsync(SustainDbContext db, Guid payoutId, string transferId, DateTimeOffset at, CancellationToken cancellation)
    {
        var row = await db.Payouts.SingleAsync(p => p.Id == payoutId, cancellation);
        if (row.State is PayoutState.Paid or PayoutState.Failed)
            return row.State;
        row.State = PayoutState.Paid;
        row.TransferId = transferId;
        row.SettledAt = at;
        row.LastError = null;
        PayoutLedger.Post(db, PayoutTransactions.Settle(new Money(row.AmountMinor, Currency.Find(row.Currency))), $"Payout {row.Id:N} paid by transfer {transferId}", at, row.Id);
        return row.State;
    }

    private static async Task<PayoutState> FailAsync(SustainDbContext db, Guid payoutId, string reason, DateTimeOffset at, CancellationToken cancellation)
    {
        var row = await db.Payouts.SingleAsync(p => p.Id == payoutId, cancellation);
        if (row.State is PayoutState.Paid or PayoutState.Failed)
            return row.State;
        row.State = PayoutState.Failed;
        row.SettledAt = at;
        row.LastError = Trim(reason);
        PayoutLedger.Post(db, PayoutTransactions.Reverse(row.UserId, new Money(row.AmountMinor, Currency.Find(row.Currency))), $"Payout {row.Id:N} failed; payable again", at, row.Id);
        return row.State;
    }

    private async Task<int> CreateDueAsync(SustainDbContext db, CancellationToken cancellation)
    {
        var now = time.GetUtcNow();
        var balances = await db.LedgerLines.Where(l => l.Account.StartsWith("maintainer:")).Balances()
            .Where(g => g.Sum > 0).ToListAsync(cancellation);
        var busy = (await db.Payouts.Where(p => p.State == PayoutState.Pending || p.State == PayoutState.Submitted).Select(p => p.UserId).ToListAsync(cancellation))
            .ToHashSet(StringComparer.Ordinal);
        var accounts = await db.ConnectedAccounts.AsNoTracking().Where(a => a.PayoutsEnabled).ToDictionaryAsync(a => a.UserId, StringComparer.Ordinal, cancellation);
        var created = 0;
        foreach (var balance in balances.OrderBy(b => b.Account, StringComparer.Ordinal))
        {
            if (LedgerAccounts.MaintainerOf(balance.Account) is not { } userId || busy.Contains(userId))
                continue;
            var currency = Currency.Find(balance.Currency);
            var payable = new Money(balance.Sum, currency);
            var account = accounts.GetValueOrDefault(userId);
            if (!PayoutTransactions.IsDue(payable, options.Value.MinimumIn(currency), account is not null))
                continue;
            var payout = new Payout { UserId = userId, ConnectedAccountId = account!.AccountId, Currency = currency.Code, AmountMinor = payable.Minor, State = PayoutState.Pending, CreatedAt = now };
            db.Payouts.Add(payout);
            PayoutLedger.Post(db, PayoutTransactions.Reserve(userId, payable), $"Payout {payout.Id:N} of {payable} reserved", now, payout.Id);
            busy.Add(userId);
            created++;
        }

        return created;
    }

    private static string Trim(string text) => text.Length > 500 ? text[..500] : text;
}

/// <summary>
/// Settles open payouts from what Stripe says: every Pending or Submitted payout whose transfer Stripe lists (by
/// the payout id in its metadata) is marked paid, as if the run that made it had lived to record it.
/// </summary>
public sealed class PayoutReconciler(PayoutLedger ledger, IConnectGateway connect, TimeProvider time)
{
    public async Task<int> RunAsync(CancellationToken cancellation)
    {
        var open = await ledger.WriteAsync("list open payouts", db => db.Payouts.AsNoTracking()
            .Where(p => p.State == PayoutState.Pending || p.State == PayoutState.Submitted)
            .Select(p => new { p.Id, p.CreatedAt }).ToListAsync(cancellation), cancellation);
        if (open.Count == 0)
            return 0;

        IReadOnlyList<TransferRecord> transfers;
        try
        {
            transfers = await connect.ListTransfersAsync(open.Min(p => p.CreatedAt).AddDays(-1), cancellation);
        }
        catch (GatewayUnavailableException)
        {
            return 0;
        }

        var byPayout = transfers.Where(t => t.PayoutId is not null && !t.Reversed).GroupBy(t => t.PayoutId!.Value).ToDictionary(g => g.Key, g => g.First());
        var settled = 0;
        foreach (var payout in open)
        {
            if (!byPayout.TryGetValue(payout.Id, out var transfer))
                continue;
            if (await ledger.WriteAsync("reconcile payout", db => PayoutRun.SettleAsync(db, payout.Id, transfer.TransferId, time.GetUtcNow(), cancellation), cancellation) == PayoutState.Paid)
                settled++;
        }

        return settled;
    }
}
