using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Stripe;
using Stripe.Checkout;
using Sustain.Core;
using Sustain.Data;
using Sustain.Data.Ledger;
using Sustain.Web.Pledges;

namespace Sustain.Web.Payments;

public enum EventOutcomeKind
{
    Applied,
    Duplicate,
    Ignored,
}

public sealed record EventOutcome(EventOutcomeKind Kind, string Detail);

/// <summary>
/// Takes in one Stripe event exactly once: its id is inserted in the same database transaction as its
/// effect, so a redelivery (or a concurrent duplicate, which loses the race on the primary key) finds
/// it and changes nothing. One handler per event type, behind <see cref="ApplyAsync"/>.
/// </summary>
public sealed partial class StripeEventProcessor(
    IDbContextFactory<SustainDbContext> contexts,
    IPaymentGateway gateway,
    IOptions<StripeOptions> options,
    LedgerWriteGate gate,
    ILogger<StripeEventProcessor> log)
{
    private const int Attempts = 8;

    public async Task<EventOutcome> ProcessAsync(Event stripeEvent, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(stripeEvent);
        await using (var db = await contexts.CreateDbContextAsync(cancellation))
        {
            if (await db.ProcessedEvents.AsNoTracking().AnyAsync(e => e.Id == stripeEvent.Id, cancellation))
                return new EventOutcome(EventOutcomeKind.Duplicate, $"event {stripeEvent.Id} was already processed");
        }

        if (stripeEvent.Livemode != options.Value.LiveMode)
        {
            var mode = stripeEvent.Livemode ? "live" : "test";
            var ours = options.Value.LiveMode ? "live" : "test";
            return await WriteAsync(stripeEvent, (_, _) => Task.FromResult($"ignored: a {mode}-mode event on a {ours}-mode instance"), cancellation);
        }

        // Ask Stripe for the fee before the database transaction, so no write waits on the network.
        var settlement = PaymentIntentOf(stripeEvent) is { } intent ? await gateway.GetSettlementAsync(intent, cancellation) : null;
        return await WriteAsync(stripeEvent, (ledger, c) => ApplyAsync(ledger, stripeEvent, settlement, c), cancellation);
    }

    /// <summary>The payment intent whose settlement an event records, if it records a payment.</summary>
    private static string? PaymentIntentOf(Event stripeEvent) => stripeEvent.Data?.Object switch
    {
        Session { Mode: "payment", PaymentStatus: "paid" } session when stripeEvent.Type == EventTypes.CheckoutSessionCompleted => session.PaymentIntentId,
        Invoice { AmountPaid: > 0 } invoice when stripeEvent.Type == EventTypes.InvoicePaid => InvoiceIntent(invoice),
        _ => null,
    };

    private static string? InvoiceIntent(Invoice invoice) =>
        invoice.Payments?.Data?.Where(p => p.Status == "paid").Select(p => p.Payment?.PaymentIntentId).FirstOrDefault(id => id is not null);

    private static async Task<string> ApplyAsync(PledgeLedger ledger, Event stripeEvent, PaymentSettlement? settlement, CancellationToken cancellation)
    {
        var at = new DateTimeOffset(DateTime.SpecifyKind(stripeEvent.Created, DateTimeKind.Utc));
        switch (stripeEvent.Data?.Object)
        {
            case Session session when stripeEvent.Type == EventTypes.CheckoutSessionCompleted:
            {
                if (await ledger.FindPledgeAsync(PledgeMetadata.PledgeOf(session.Metadata), session.SubscriptionId, cancellation) is not { } pledge)
                    return $"ignored: checkout {session.Id} names no pledge of this instance";
                pledge.CheckoutSessionId ??= session.Id;
                pledge.SubscriptionId ??= session.SubscriptionId;
                pledge.CheckoutCompletedAt ??= at;
                if (settlement is null || session.PaymentIntentId is null)
                {
                    await ledger.RefreshStatusAsync(pledge, cancellation);
                    return $"applied: checkout {session.Id} completed ({session.Mode}, {session.PaymentStatus})";
                }

                return await ledger.RecordPaymentAsync(pledge, session.PaymentIntentId, settlement, invoiceId: null, at, stripeEvent.Id, cancellation);
            }

            case Invoice invoice when stripeEvent.Type is EventTypes.InvoicePaid or EventTypes.InvoicePaymentFailed:
            {
                var subscription = invoice.Parent?.SubscriptionDetails;
                if (await ledger.FindPledgeAsync(PledgeMetadata.PledgeOf(subscription?.Metadata), subscription?.SubscriptionId, cancellation) is not { } pledge)
                    return $"ignored: invoice {invoice.Id} names no pledge of this instance";
                pledge.SubscriptionId ??= subscription?.SubscriptionId;
                if (stripeEvent.Type == EventTypes.InvoicePaymentFailed)
                {
                    if (pledge.LastFailedAt is null || at > pledge.LastFailedAt)
                        pledge.LastFailedAt = at;
                    await ledger.RefreshStatusAsync(pledge, cancellation);
                    return $"applied: invoice {invoice.Id} failed";
                }

                if (settlement is null || InvoiceIntent(invoice) is not { } intent)
                {
                    if (pledge.LastPaidAt is null || at > pledge.LastPaidAt)
                        pledge.LastPaidAt = at;
                    await ledger.RefreshStatusAsync(pledge, cancellation);
                    return $"applied: invoice {invoice.Id} paid with nothing charged";
                }

                return await ledger.RecordPaymentAsync(pledge, intent, settlement, invoice.Id, at, stripeEvent.Id, cancellation);
            }

            case Subscription subscription when stripeEvent.Type == EventTypes.CustomerSubscriptionDeleted:
            {
                if (await ledger.FindPledgeAsync(PledgeMetadata.PledgeOf(subscription.Metadata), subscription.Id, cancellation) is not { } pledge)
                    return $"ignored: subscription {subscription.Id} names no pledge of this instance";
                pledge.SubscriptionId ??= subscription.Id;
                pledge.EndedAt ??= at;
                await ledger.RefreshStatusAsync(pledge, cancellation);
                return $"applied: subscription {subscription.Id} ended";
            }

            case Charge charge when stripeEvent.Type == EventTypes.ChargeRefunded:
                return charge.PaymentIntentId is { } refunded
                    ? await ledger.RefundAsync(refunded, charge.AmountRefunded, stripeEvent.Id, at, cancellation)
                    : $"ignored: charge {charge.Id} has no payment intent";

            case Dispute dispute when stripeEvent.Type is EventTypes.ChargeDisputeCreated or EventTypes.ChargeDisputeClosed:
                return dispute.PaymentIntentId is { } disputed
                    ? await ledger.DisputeAsync(dispute.Id, disputed, new Money(dispute.Amount, StripeGateway.FromStripe(dispute.Currency)),
                        closed: stripeEvent.Type == EventTypes.ChargeDisputeClosed, won: dispute.Status == "won", stripeEvent.Id, at, cancellation)
                    : $"ignored: dispute {dispute.Id} has no payment intent";

            case Account account when stripeEvent.Type == EventTypes.AccountUpdated:
                return await Payouts.ConnectedAccounts.ApplyAsync(ledger.Database, Payouts.StripeConnect.StatusOf(account), at, cancellation);

            default:
                return $"ignored: Sustain does not act on {stripeEvent.Type}";
        }
    }

    private async Task<EventOutcome> WriteAsync(Event stripeEvent, Func<PledgeLedger, CancellationToken, Task<string>> apply, CancellationToken cancellation)
    {
        var work = new LedgerWork(stripeEvent, apply);
        if (!gate.Batches)
            return await WriteAloneAsync(work, cancellation);

        // Group commit: whoever holds the gate writes every event waiting by then in one transaction
        // (each in its own savepoint), so a burst shares one commit instead of queueing for one each.
        gate.Waiting.Enqueue(work);
        using (await gate.EnterAsync(cancellation))
        {
            if (!work.Done.Task.IsCompleted)
                await WriteBatchAsync(gate.TakeWaiting(), CancellationToken.None);
        }

        return await work.Done.Task;
    }

    private async Task<EventOutcome> WriteAloneAsync(LedgerWork work, CancellationToken cancellation)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var db = await contexts.CreateDbContextAsync(cancellation);
                await using var ledgerLock = await LedgerLock.TakeAsync(db, gate.SerialisesInDatabase, cancellation);
                await using var transaction = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellation);
                var outcome = await ApplyOneAsync(db, work, cancellation);
                await transaction.CommitAsync(cancellation);
                return outcome;
            }
            catch (Exception e) when (attempt < Attempts && IsConflict(e))
            {
                // A concurrent duplicate lost the race on the event's key, or the database was busy:
                // the next attempt sees the winner's row (and answers duplicate) or gets the lock.
                LogRetry(log, work.Event.Id, attempt, e);
                await Task.Delay(TimeSpan.FromMilliseconds(5 * attempt * attempt), cancellation);
            }
        }
    }

    private async Task WriteBatchAsync(IReadOnlyList<LedgerWork> batch, CancellationToken cancellation)
    {
        for (var attempt = 1; ; attempt++)
        {
            var results = new List<(LedgerWork Work, EventOutcome? Outcome, Exception? Error)>(batch.Count);
            try
            {
                await using var db = await contexts.CreateDbContextAsync(cancellation);
                await using var transaction = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellation);
                foreach (var work in batch)
                {
                    await transaction.CreateSavepointAsync("event", cancellation);
                    try
                    {
                        results.Add((work, await ApplyOneAsync(db, work, cancellation), null));
                        await transaction.ReleaseSavepointAsync("event", cancellation);
                    }
                    catch (Exception e) when (!IsConflict(e) && e is not OperationCanceledException)
                    {
                        // One bad event fails alone (its sender gets an error and delivers it again); the batch goes on.
                        await transaction.RollbackToSavepointAsync("event", cancellation);
                        results.Add((work, null, e));
                    }

                    db.ChangeTracker.Clear();
                }

                await transaction.CommitAsync(cancellation);
            }
            catch (Exception e) when (attempt < Attempts && IsConflict(e))
            {
                LogRetry(log, batch[0].Event.Id, attempt, e);
                await Task.Delay(TimeSpan.FromMilliseconds(5 * attempt * attempt), cancellation);
                continue;
            }
            catch (Exception e)
            {
                foreach (var work in batch)
                    work.Done.TrySetException(e);
                throw;
            }

            foreach (var (work, outcome, error) in results)
            {
                if (error is not null)
                    work.Done.TrySetException(error);
                else
                    work.Done.TrySetResult(outcome!);
            }

            return;
        }
    }

    /// <summary>Applies one event and records its id, inside the caller's transaction; a duplicate when the id is already there.</summary>
    private static async Task<EventOutcome> ApplyOneAsync(SustainDbContext db, LedgerWork work, CancellationToken cancellation)
    {
        var stripeEvent = work.Event;
        if (await db.ProcessedEvents.AnyAsync(e => e.Id == stripeEvent.Id, cancellation))
            return new EventOutcome(EventOutcomeKind.Duplicate, $"event {stripeEvent.Id} was already processed");

        var detail = await work.Apply(new PledgeLedger(db), cancellation);
        db.ProcessedEvents.Add(new ProcessedEvent
        {
            Id = stripeEvent.Id,
            Type = stripeEvent.Type,
            LiveMode = stripeEvent.Livemode,
            CreatedAt = new DateTimeOffset(DateTime.SpecifyKind(stripeEvent.Created, DateTimeKind.Utc)),
            Outcome = detail.Length > 300 ? detail[..300] : detail,
        });
        await db.SaveChangesAsync(cancellation);
        return new EventOutcome(detail.StartsWith("ignored", StringComparison.Ordinal) ? EventOutcomeKind.Ignored : EventOutcomeKind.Applied, detail);
    }

    /// <summary>The database refused because of another writer (busy, a lost race on a key, a serialisation failure): worth delivering again.</summary>
    public static bool IsConflict(Exception e) => e.GetBaseException() switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode is 5 or 6 or 19,
        PostgresException postgres => postgres.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected,
        _ => false,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Stripe event {EventId}: attempt {Attempt} met a conflict; trying again")]
    private static partial void LogRetry(ILogger logger, string eventId, int attempt, Exception conflict);
}

/// <summary>An event waiting to be written, and where its outcome goes.</summary>
public sealed class LedgerWork(Event stripeEvent, Func<PledgeLedger, CancellationToken, Task<string>> apply)
{
    public Event Event { get; } = stripeEvent;

    public Func<PledgeLedger, CancellationToken, Task<string>> Apply { get; } = apply;

    public TaskCompletionSource<EventOutcome> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>
/// One ledger writer at a time across every instance on PostgreSQL: concurrent events touch the same escrow accounts,
/// and under serialisable isolation they would mostly fail each other. A session lock, taken before the transaction
/// begins: a serialisable transaction's snapshot is taken at its first statement, so a lock taken inside it would be
/// waited for with a snapshot that misses what the previous holder committed, and the writers would conflict anyway.
/// </summary>
public sealed class LedgerLock : IAsyncDisposable
{
    private readonly SustainDbContext? _db;

    private LedgerLock(SustainDbContext? db) => _db = db;

    /// <summary>Takes the lock on <paramref name="db"/>'s connection, which stays open until the lock is released; nothing when <paramref name="take"/> is false.</summary>
    public static async Task<LedgerLock> TakeAsync(SustainDbContext db, bool take, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!take)
            return new LedgerLock(null);
        await db.Database.OpenConnectionAsync(cancellation);
        var held = new LedgerLock(db);
        try
        {
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_lock({LedgerWriteGate.LedgerLockKey})", cancellation);
            return held;
        }
        catch
        {
            // A wait cancelled as the lock was granted would leave it held by a pooled connection.
            await held.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_db is null)
            return;
        try
        {
            await _db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_unlock({LedgerWriteGate.LedgerLockKey})", CancellationToken.None);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            // The connection is not to be trusted with the lock: closed for good rather than pooled, it takes the lock with it.
            if (_db.Database.GetDbConnection() is NpgsqlConnection connection)
                NpgsqlConnection.ClearPool(connection);
        }
        finally
        {
            await _db.Database.CloseConnectionAsync();
        }
    }
}

/// <summary>
/// SQLite takes one writer at a time, and each commit waits for the disk. This instance therefore
/// writes ledger events one batch at a time: events queue here, and the holder of the gate writes all
/// that are waiting in one transaction. Other databases get no gate; each event is its own transaction.
/// </summary>
public sealed class LedgerWriteGate(DatabaseOptions database)
{
    private const int MaxBatch = 64;

    private readonly SemaphoreSlim? _one = database.Provider == DatabaseProvider.Sqlite ? new SemaphoreSlim(1, 1) : null;

    /// <summary>An arbitrary constant naming the ledger's PostgreSQL advisory lock.</summary>
    public const long LedgerLockKey = 0x5375_7374_4c65_6467;

    public bool Batches => _one is not null;

    /// <summary>On PostgreSQL, ledger writers take an advisory lock, so instances write the ledger one at a time.</summary>
    public bool SerialisesInDatabase { get; } = database.Provider == DatabaseProvider.Postgres;

    public System.Collections.Concurrent.ConcurrentQueue<LedgerWork> Waiting { get; } = new();

    public IReadOnlyList<LedgerWork> TakeWaiting()
    {
        var batch = new List<LedgerWork>();
        while (batch.Count < MaxBatch && Waiting.TryDequeue(out var work))
            batch.Add(work);
        return batch;
    }

    public async Task<IDisposable> EnterAsync(CancellationToken cancellation)
    {
        if (_one is null)
            return Released.Instance;
        await _one.WaitAsync(cancellation);
        return new Release(_one);
    }

    private sealed class Release(SemaphoreSlim semaphore) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                semaphore.Release();
        }
    }

    private sealed class Released : IDisposable
    {
        public static readonly Released Instance = new();

        public void Dispose()
        {
        }
    }
}
