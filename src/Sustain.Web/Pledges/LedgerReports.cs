using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Sustain.Core;
using Sustain.Core.Ledger;
using Sustain.Data;
using Sustain.Data.Pledges;

namespace Sustain.Web.Pledges;

public sealed record ProjectBalance(string ProjectKey, Money Amount);

/// <summary>An organisation's money as the ledger says: given (net of refunds), Stripe's fees, and what each project holds from it.</summary>
public sealed record OrganisationLedgerSummary(IReadOnlyList<Money> Given, IReadOnlyList<Money> Fees, IReadOnlyList<ProjectBalance> Projects);

public sealed record StatementPayment(PledgePayment Payment, PledgeFrequency Frequency);

public sealed record Statement(int Year, IReadOnlyList<StatementPayment> Payments, OrganisationLedgerSummary Summary);

/// <summary>Balances, statements and exports, all derived from the ledger lines at the time they are asked for.</summary>
public sealed class LedgerReports(IDbContextFactory<SustainDbContext> contexts)
{
    public async Task<OrganisationLedgerSummary> SummaryAsync(Guid organisationId, int? year = null, CancellationToken cancellation = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellation);
        var lines = await LinesOf(db, organisationId, year)
            .GroupBy(x => new { x.Line.Account, x.Line.ProjectKey, x.Line.Currency })
            .Select(g => new { g.Key.Account, g.Key.ProjectKey, g.Key.Currency, Sum = g.Sum(x => x.Line.AmountMinor) })
            .ToListAsync(cancellation);
        var clearing = LedgerAccounts.PaymentsClearing(organisationId);
        return new OrganisationLedgerSummary(
            lines.Where(l => l.Account == clearing).Select(l => new Money(-l.Sum, Currency.Find(l.Currency))).OrderBy(m => m.Currency.Code, StringComparer.Ordinal).ToList(),
            lines.Where(l => l.Account == LedgerAccounts.StripeFees).Select(l => new Money(l.Sum, Currency.Find(l.Currency))).OrderBy(m => m.Currency.Code, StringComparer.Ordinal).ToList(),
            lines.Where(l => l.ProjectKey is not null && l.Sum != 0)
                .Select(l => new ProjectBalance(l.ProjectKey!, new Money(l.Sum, Currency.Find(l.Currency))))
                .OrderByDescending(p => p.Amount.Minor).ThenBy(p => p.ProjectKey, StringComparer.Ordinal).ToList());
    }

    public async Task<Statement> StatementAsync(Guid organisationId, int year, CancellationToken cancellation = default)
    {
        var (from, to) = YearRange(year);
        await using var db = await contexts.CreateDbContextAsync(cancellation);
        var payments = await db.PledgePayments.AsNoTracking()
            .Where(p => p.OrganisationId == organisationId && p.Recorded && p.PaidAt >= from && p.PaidAt < to)
            .Join(db.Pledges, p => p.PledgeId, pledge => pledge.Id, (p, pledge) => new { p, pledge.Frequency })
            .ToListAsync(cancellation);
        var summary = await SummaryAsync(organisationId, year, cancellation);
        return new Statement(year, payments.OrderBy(p => p.p.PaidAt).Select(p => new StatementPayment(p.p, p.Frequency)).ToList(), summary);
    }

    /// <summary>Every ledger line of the organisation's postings (of one year, when given), as CSV for finance: one line per entry, amounts in major units.</summary>
    public async Task WriteCsvAsync(Guid organisationId, int? year, TextWriter writer, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(writer);
        await using var db = await contexts.CreateDbContextAsync(cancellation);
        var receipts = db.PledgePayments.Where(p => p.OrganisationId == organisationId);
        var rows = LinesOf(db, organisationId, year)
            .GroupJoin(receipts, x => x.Posting.PaymentId, p => p.Id, (x, p) => new { x.Posting, x.Line, Payments = p })
            .SelectMany(x => x.Payments.DefaultIfEmpty(), (x, p) => new
            {
                x.Posting.PostedAt, PostingId = x.Posting.Id, x.Posting.Kind, x.Line.Account, x.Line.Currency, x.Line.AmountMinor,
                Receipt = p == null ? null : p.ReceiptNumber, x.Posting.EventId, x.Posting.Description, LineId = x.Line.Id,
            })
            .OrderBy(x => x.PostedAt).ThenBy(x => x.LineId)
            .AsAsyncEnumerable();
        await writer.WriteLineAsync("posted_at,posting_id,kind,account,currency,amount,amount_minor,receipt,event_id,description");
        await foreach (var row in rows.WithCancellation(cancellation))
        {
            var amount = new Money(row.AmountMinor, Currency.Find(row.Currency));
            await writer.WriteLineAsync(string.Join(',',
                row.PostedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                row.PostingId.ToString(),
                row.Kind,
                Csv(row.Account),
                row.Currency,
                amount.ToAmountString(),
                row.AmountMinor.ToString(CultureInfo.InvariantCulture),
                Csv(row.Receipt ?? ""),
                Csv(row.EventId ?? ""),
                Csv(row.Description)));
        }
    }

    public static (DateTimeOffset From, DateTimeOffset To) YearRange(int year) =>
        (new DateTimeOffset(year, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(year + 1, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private static IQueryable<PostedLine> LinesOf(SustainDbContext db, Guid organisationId, int? year)
    {
        var postings = db.LedgerPostings.Where(p => p.OrganisationId == organisationId);
        if (year is { } y)
        {
            var (from, to) = YearRange(y);
            postings = postings.Where(p => p.PostedAt >= from && p.PostedAt < to);
        }

        return postings.SelectMany(p => p.Lines, (p, l) => new PostedLine { Posting = p, Line = l });
    }

    /// <summary>Quotes a field when it needs it; a leading formula character is defused so a spreadsheet shows it as text.</summary>
    private static string Csv(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@')
            value = "'" + value;
        return value.IndexOfAny([',', '"', '\n', '\r']) < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    private sealed class PostedLine
    {
        public required Data.Ledger.LedgerPosting Posting { get; init; }

        public required Data.Ledger.LedgerLine Line { get; init; }
    }
}
