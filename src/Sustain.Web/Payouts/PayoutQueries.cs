using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Sustain.Core;
using Sustain.Core.Ledger;
using Sustain.Data;
using Sustain.Data.Payouts;

namespace Sustain.Web.Payouts;

/// <summary>One arrival of money for a maintainer: from which company, for which project, when.</summary>
public sealed record IncomingMoney(DateTimeOffset At, Guid? OrganisationId, string Company, string ProjectKey, Money Amount);

/// <summary>What a maintainer's payout page shows.</summary>
public sealed record MaintainerPayoutView(
    IReadOnlyList<Money> Payable,
    IReadOnlyList<Money> Held,
    IReadOnlyList<IncomingMoney> Incoming,
    IReadOnlyList<Payout> Payouts,
    ConnectedAccount? Account);

/// <summary>Reads for the payout pages; every balance is summed from the ledger.</summary>
public sealed class PayoutQueries(IDbContextFactory<SustainDbContext> databases)
{
    public async Task<MaintainerPayoutView> ForMaintainerAsync(string userId, CancellationToken cancellation = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellation);
        var payableAccount = LedgerAccounts.MaintainerPayable(userId);
        var payable = await SumsAsync(db.LedgerLines.Where(l => l.Account == payableAccount), cancellation);
        var claims = await db.MaintainerClaims.Where(c => c.UserId == userId).Select(c => c.Id).ToListAsync(cancellation);
        var heldAccounts = claims.Select(LedgerAccounts.ContestedHeld).ToList();
        var held = await SumsAsync(db.LedgerLines.Where(l => heldAccounts.Contains(l.Account)), cancellation);
        var incoming = await IncomingAsync(db, [payableAccount, .. heldAccounts], cancellation);
        var payouts = await db.Payouts.AsNoTracking().Where(p => p.UserId == userId).OrderByDescending(p => p.CreatedAt).Take(200).ToListAsync(cancellation);
        var account = await db.ConnectedAccounts.AsNoTracking().SingleOrDefaultAsync(a => a.UserId == userId, cancellation);
        return new MaintainerPayoutView(payable.Where(m => !m.IsZero).ToList(), held.Where(m => !m.IsZero).ToList(), incoming, payouts, account);
    }

    /// <summary>What waits in <paramref name="projectKey"/>'s escrow for its maintainers, per currency.</summary>
    public async Task<IReadOnlyList<Money>> EscrowAsync(string projectKey, CancellationToken cancellation = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellation);
        return [.. (await SumsAsync(db.LedgerLines.Where(l => l.ProjectKey == projectKey), cancellation)).Where(m => m.Minor > 0)];
    }

    /// <summary>What an organisation was told about its escrow, newest first.</summary>
    public async Task<IReadOnlyList<EscrowNotice>> NoticesAsync(Guid organisationId, CancellationToken cancellation = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellation);
        return await db.EscrowNotices.AsNoTracking().Where(n => n.OrganisationId == organisationId).OrderByDescending(n => n.At).Take(50).ToListAsync(cancellation);
    }

    /// <summary>How the operator's page names maintainers: their GitHub login, else their email.</summary>
    public async Task<IReadOnlyDictionary<string, string>> NamesAsync(IEnumerable<string> userIds, CancellationToken cancellation = default)
    {
        var ids = userIds.Distinct(StringComparer.Ordinal).ToList();
        await using var db = await databases.CreateDbContextAsync(cancellation);
        return await db.Users.Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.GitHubLogin ?? u.Email ?? u.Id, cancellation);
    }

    /// <summary>Every payout, newest first, for the operator.</summary>
    public async Task<IReadOnlyList<Payout>> RecentPayoutsAsync(int count, CancellationToken cancellation = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellation);
        return await db.Payouts.AsNoTracking().OrderByDescending(p => p.CreatedAt).Take(count).ToListAsync(cancellation);
    }

    public static async Task WriteCsvAsync(IReadOnlyList<IncomingMoney> incoming, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        ArgumentNullException.ThrowIfNull(writer);
        await writer.WriteLineAsync("date,company,project,currency,amount");
        foreach (var money in incoming)
        {
            var amount = ((decimal)money.Amount.Minor / money.Amount.Currency.MinorPerMajor).ToString("F" + money.Amount.Currency.Exponent.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            await writer.WriteLineAsync(string.Join(',', money.At.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Csv(money.Company), Csv(money.ProjectKey), money.Amount.Currency.Code, amount));
        }
    }

    private static async Task<List<IncomingMoney>> IncomingAsync(SustainDbContext db, IReadOnlyList<string> accounts, CancellationToken cancellation)
    {
        var rows = await db.LedgerLines.Where(l => accounts.Contains(l.Account))
            .Join(db.LedgerPostings.Where(p => p.Kind == LedgerKinds.EscrowRelease), l => l.PostingId, p => p.Id, (l, p) => new { p.Id, p.PostedAt, p.OrganisationId, l.Currency, l.AmountMinor })
            .ToListAsync(cancellation);
        var postingIds = rows.Select(r => r.Id).Distinct().ToList();
        var projects = await db.LedgerLines.Where(l => postingIds.Contains(l.PostingId) && l.ProjectKey != null)
            .Select(l => new { l.PostingId, l.ProjectKey }).ToDictionaryAsync(l => l.PostingId, l => l.ProjectKey!, cancellation);
        var organisationIds = rows.Where(r => r.OrganisationId != null).Select(r => r.OrganisationId!.Value).Distinct().ToList();
        // A company that has not opted in to being named publicly stays anonymous to maintainers too.
        var names = await db.Organisations.Where(o => organisationIds.Contains(o.Id))
            .ToDictionaryAsync(o => o.Id, o => o.LeaderboardOptIn ? o.Name : "An anonymous company", cancellation);
        return [.. rows.OrderByDescending(r => r.PostedAt).Select(r => new IncomingMoney(
            r.PostedAt,
            r.OrganisationId,
            r.OrganisationId is { } org ? names.GetValueOrDefault(org, "a company") : "returned from a contest",
            projects.GetValueOrDefault(r.Id, "?"),
            new Money(r.AmountMinor, Currency.Find(r.Currency))))];
    }

    private static async Task<List<Money>> SumsAsync(IQueryable<Data.Ledger.LedgerLine> lines, CancellationToken cancellation) =>
        [.. (await lines.GroupBy(l => l.Currency).Select(g => new { g.Key, Sum = g.Sum(l => l.AmountMinor) }).ToListAsync(cancellation))
            .OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new Money(g.Sum, Currency.Find(g.Key)))];

    private static string Csv(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) >= 0 || value.StartsWith('=') || value.StartsWith('+') || value.StartsWith('-') || value.StartsWith('@')
            ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : value;
}
