using Microsoft.EntityFrameworkCore;
using Sustain.Core.Ledger;
using Sustain.Data;
using Sustain.Data.Ledger;
using Sustain.Web.Payments;

namespace Sustain.Web.Payouts;

/// <summary>
/// Writes the payout side of the ledger: each unit of work in one serializable transaction, behind the same
/// write gate (SQLite's one writer, shared politely) and the same <see cref="LedgerLock"/> (PostgreSQL, across
/// instances) the webhooks use, retried when the database was busy or another instance got there first.
/// </summary>
public sealed partial class PayoutLedger(IDbContextFactory<SustainDbContext> contexts, LedgerWriteGate gate, ILogger<PayoutLedger> log)
{
    private const int Attempts = 8;

    public async Task<T> WriteAsync<T>(string what, Func<SustainDbContext, Task<T>> work, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(work);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using (await gate.EnterAsync(cancellation))
                {
                    await using var db = await contexts.CreateDbContextAsync(cancellation);
                    await using var ledgerLock = await LedgerLock.TakeAsync(db, gate.SerialisesInDatabase, cancellation);
                    await using var transaction = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellation);
                    var result = await work(db);
                    await db.SaveChangesAsync(cancellation);
                    await transaction.CommitAsync(cancellation);
                    return result;
                }
            }
            catch (Exception e) when (attempt < Attempts && StripeEventProcessor.IsConflict(e))
            {
                LogRetry(log, what, attempt, e);
                await Task.Delay(TimeSpan.FromMilliseconds(10 * attempt * attempt), cancellation);
            }
        }
    }

    /// <summary>Adds <paramref name="transaction"/> as a posting to <paramref name="db"/>; saved with the caller's unit of work.</summary>
    public static LedgerPosting Post(SustainDbContext db, LedgerTransaction transaction, string description, DateTimeOffset at, Guid? payoutId = null, Guid? organisationId = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(transaction);
        var posting = new LedgerPosting
        {
            Kind = transaction.Kind,
            PostedAt = at,
            PayoutId = payoutId,
            OrganisationId = organisationId,
            Description = description.Length > 500 ? description[..500] : description,
            Lines = [.. transaction.Entries.Select(e => new LedgerLine
            {
                Account = e.Account,
                Currency = e.Amount.Currency.Code,
                AmountMinor = e.Amount.Minor,
                ProjectKey = LedgerAccounts.ProjectOf(e.Account),
            })],
        };
        db.LedgerPostings.Add(posting);
        return posting;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Payout ledger write '{What}': attempt {Attempt} met a conflict; trying again")]
    private static partial void LogRetry(ILogger logger, string what, int attempt, Exception conflict);
}
