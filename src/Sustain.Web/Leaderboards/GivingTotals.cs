using System.Runtime.InteropServices;
using Microsoft.EntityFrameworkCore;
using Sustain.Core.Ledger;
using Sustain.Data;

namespace Sustain.Web.Leaderboards;

/// <summary>The net amount of an organisation's escrow lines for one project in the window, and how many lines that is.</summary>
internal readonly record struct PairTotal(long Amount, int Lines);

/// <summary>
/// What each organisation gave each project over the window, kept current by reading only what
/// changed since the last refresh: the escrow lines recorded since then, and the lines whose posting
/// time the window's start has passed. Equal to summing every line in the window afresh, because a
/// line's posting time (<c>PostedAt</c>) is not the order lines are written in, so new lines are found
/// by <c>RecordedAt</c>, and a line recorded late in a slow transaction is still found: every refresh
/// reads again the lines recorded within <c>margin</c> of the newest one seen and skips those already
/// counted (by line id). Not thread-safe: one refresh at a time.
/// </summary>
/// <remarks>
/// What it holds is always "the sum of the lines seen whose posting time is in [From, To]"; a line is
/// seen once read, and every line recorded before <see cref="_settledBefore"/> is taken to be seen.
/// Keys are interned to indexes, so a million (organisation, project) pairs take a few tens of megabytes.
/// </remarks>
internal sealed class GivingTotals
{
    private readonly string _currency;
    private readonly TimeSpan _margin;
    private readonly Dictionary<Guid, int> _organisationIndex = [];
    private readonly List<Guid> _organisations = [];
    private readonly List<Dictionary<int, PairTotal>> _given = [];
    private readonly Dictionary<string, int> _projectIndex = new(StringComparer.Ordinal);
    private readonly List<string> _projects = [];

    /// <summary>Lines recorded at or after <see cref="_settledBefore"/> that were read, by id, with when they were recorded (ticks).</summary>
    private readonly Dictionary<long, long> _recent = [];

    /// <summary>Lines read whose posting time is after the window's end (a writer's clock ahead); counted once the window reaches them.</summary>
    private readonly List<EscrowLine> _ahead = [];

    private DateTimeOffset _settledBefore;
    private DateTimeOffset _newestRecorded;

    private GivingTotals(string currency, TimeSpan margin, DateTimeOffset from, DateTimeOffset to, DateTimeOffset loadedAt)
    {
        _currency = currency;
        _margin = margin;
        From = from;
        To = to;
        LoadedAt = loadedAt;
    }

    public DateTimeOffset From { get; private set; }

    public DateTimeOffset To { get; private set; }

    /// <summary>When the totals were last computed from every line of the window rather than from changes.</summary>
    public DateTimeOffset LoadedAt { get; }

    public int ProjectCount => _projects.Count;

    /// <summary>Every (organisation, project) pair with lines in the window, grouped by organisation; projects as <see cref="ProjectKey"/> indexes.</summary>
    public IEnumerable<(Guid Organisation, IReadOnlyDictionary<int, PairTotal> Projects)> ByOrganisation()
    {
        for (var i = 0; i < _organisations.Count; i++)
        {
            if (_given[i].Count > 0)
                yield return (_organisations[i], _given[i]);
        }
    }

    public string ProjectKey(int index) => _projects[index];

    /// <summary>What <paramref name="organisation"/> gave <paramref name="project"/> over the window; 0 when nothing.</summary>
    public long Given(Guid organisation, string project) =>
        _organisationIndex.TryGetValue(organisation, out var o) && _projectIndex.TryGetValue(project, out var p) && _given[o].TryGetValue(p, out var total)
            ? total.Amount
            : 0;

    /// <summary>The escrow lines of organisations' postings in one currency: every figure on the leaderboards comes from these.</summary>
    public static IQueryable<EscrowLine> EscrowLines(SustainDbContext db, string currency)
    {
        // What organisations gave is what their payments put into projects' escrow, less what refunds and disputes
        // took back, including the part of a refund the platform advanced because the escrow had already reached the
        // maintainers; and where expired escrow was spread to. Money leaving escrow for maintainers is still given.
        const string advanced = LedgerAccounts.PlatformAdvancePrefix;
        var kinds = GivingKinds;
        return from line in db.LedgerLines.AsNoTracking()
        join posting in db.LedgerPostings.AsNoTracking() on line.PostingId equals posting.Id
        where (line.ProjectKey != null || line.Account.StartsWith(advanced)) && line.Currency == currency && posting.OrganisationId != null && kinds.Contains(posting.Kind)
        select new EscrowLine
        {
            Id = line.Id,
            Organisation = posting.OrganisationId!.Value,
            Project = line.ProjectKey ?? line.Account.Substring(advanced.Length),
            PostedAt = posting.PostedAt,
            RecordedAt = posting.RecordedAt,
            Amount = line.AmountMinor,
        };
    }

    /// <summary>The postings that say what an organisation gave a project; releases to maintainers and repaid advances move money already given.</summary>
    private static readonly string[] GivingKinds = [LedgerKinds.Payment, LedgerKinds.Refund, LedgerKinds.Dispute, LedgerKinds.DisputeReinstated, LedgerKinds.EscrowRespread];

    /// <summary>Sums every line of the window: in SQL for the lines recorded long enough ago, one by one for the recent ones.</summary>
    public static async Task<(GivingTotals Totals, int LinesRead)> LoadAsync(
        SustainDbContext db, string currency, DateTimeOffset from, DateTimeOffset to, TimeSpan margin, DateTimeOffset now, Pacing pacing, CancellationToken cancellation)
    {
        var totals = new GivingTotals(currency, margin, from, to, now);
        var newest = await db.LedgerPostings.AsNoTracking().OrderByDescending(p => p.RecordedAt).Select(p => (DateTimeOffset?)p.RecordedAt).FirstOrDefaultAsync(cancellation);
        totals._newestRecorded = newest ?? DateTimeOffset.MinValue;
        totals._settledBefore = newest is { } n && n - DateTimeOffset.MinValue > margin ? n - margin : DateTimeOffset.MinValue;
        var settled = totals._settledBefore;

        var read = 0;
        var sums = EscrowLines(db, currency)
            .Where(l => l.RecordedAt < settled && l.PostedAt >= from && l.PostedAt <= to)
            .GroupBy(l => new { l.Organisation, l.Project })
            .Select(g => new { g.Key.Organisation, g.Key.Project, Amount = g.Sum(l => l.Amount), Lines = g.Count() })
            .AsAsyncEnumerable();
        var pairs = 0;
        await foreach (var pair in sums.WithCancellation(cancellation))
        {
            totals.Add(pair.Organisation, pair.Project, new PairTotal(pair.Amount, pair.Lines));
            read += pair.Lines;
            await pacing.BreatheAsync(++pairs, cancellation);
        }

        await foreach (var line in EscrowLines(db, currency).Where(l => l.RecordedAt < settled && l.PostedAt > to).AsAsyncEnumerable().WithCancellation(cancellation))
        {
            totals._ahead.Add(line);
            read++;
        }

        return (totals, read + await totals.ReadRecordedAsync(db, cancellation));
    }

    /// <summary>Moves the window to [<paramref name="from"/>, <paramref name="to"/>] and takes in the lines recorded since the last refresh.</summary>
    /// <returns>How many lines it read.</returns>
    public async Task<int> RefreshAsync(SustainDbContext db, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellation)
    {
        var (oldFrom, oldTo) = (From, To);
        (From, To) = (from, to);
        var read = 0;

        for (var i = _ahead.Count - 1; i >= 0; i--)
        {
            if (_ahead[i].PostedAt > to)
                continue;
            if (_ahead[i].PostedAt >= from)
                Count(_ahead[i], +1);
            _ahead.RemoveAt(i);
        }

        // Only lines already seen move with the window; the ones not yet seen are read below against the new window.
        if (from > oldFrom)
        {
            var leaving = EscrowLines(db, _currency).Where(l => l.PostedAt >= oldFrom && l.PostedAt < from && l.PostedAt <= oldTo);
            await foreach (var line in leaving.AsAsyncEnumerable().WithCancellation(cancellation))
            {
                read++;
                if (Seen(line))
                    Count(line, -1);
            }
        }
        else if (from < oldFrom)
        {
            // A month shorter than the last: a window ending on the 31st starts on the 28th or 29th, as does one ending on the 30th.
            var entering = EscrowLines(db, _currency).Where(l => l.PostedAt >= from && l.PostedAt < oldFrom);
            await foreach (var line in entering.AsAsyncEnumerable().WithCancellation(cancellation))
            {
                read++;
                if (Seen(line))
                    Count(line, +1);
            }
        }

        return read + await ReadRecordedAsync(db, cancellation);
    }

    /// <summary>Reads the lines recorded since the settled point, counts the ones not seen before, then moves the settled point on.</summary>
    private async Task<int> ReadRecordedAsync(SustainDbContext db, CancellationToken cancellation)
    {
        var settled = _settledBefore;
        var read = 0;
        // Bounded on both sides so SQLite's planner walks the RecordedAt index instead of every line.
        var lines = EscrowLines(db, _currency).Where(l => l.RecordedAt >= settled && l.RecordedAt <= DateTimeOffset.MaxValue);
        await foreach (var line in lines.AsAsyncEnumerable().WithCancellation(cancellation))
        {
            read++;
            if (!_recent.TryAdd(line.Id, line.RecordedAt.UtcTicks))
                continue;
            if (line.RecordedAt > _newestRecorded)
                _newestRecorded = line.RecordedAt;
            if (line.PostedAt > To)
                _ahead.Add(line);
            else if (line.PostedAt >= From)
                Count(line, +1);
        }

        // Postings of other currencies or without an organisation move it on too: it is how late a transaction may commit that matters.
        var newest = await db.LedgerPostings.AsNoTracking().Where(p => p.RecordedAt > _newestRecorded)
            .OrderByDescending(p => p.RecordedAt).Select(p => (DateTimeOffset?)p.RecordedAt).FirstOrDefaultAsync(cancellation);
        if (newest is { } n)
            _newestRecorded = n;
        if (_newestRecorded - DateTimeOffset.MinValue > _margin && _newestRecorded - _margin > _settledBefore)
        {
            _settledBefore = _newestRecorded - _margin;
            var settledTicks = _settledBefore.UtcTicks;
            foreach (var (id, recorded) in _recent)
            {
                if (recorded < settledTicks)
                    _recent.Remove(id);
            }
        }

        return read;
    }

    private bool Seen(EscrowLine line) => line.RecordedAt < _settledBefore || _recent.ContainsKey(line.Id);

    private void Count(EscrowLine line, int sign) => Add(line.Organisation, line.Project, new PairTotal(sign * line.Amount, sign));

    private void Add(Guid organisation, string project, PairTotal change)
    {
        if (!_organisationIndex.TryGetValue(organisation, out var o))
        {
            o = _organisations.Count;
            _organisationIndex.Add(organisation, o);
            _organisations.Add(organisation);
            _given.Add([]);
        }

        if (!_projectIndex.TryGetValue(project, out var p))
        {
            p = _projects.Count;
            _projectIndex.Add(project, p);
            _projects.Add(project);
        }

        var projects = _given[o];
        ref var total = ref CollectionsMarshal.GetValueRefOrAddDefault(projects, p, out _);
        total = new PairTotal(total.Amount + change.Amount, total.Lines + change.Lines);
        if (total.Lines == 0)
            projects.Remove(p);
    }
}

/// <summary>One escrow line with its posting's organisation and times. Settable properties rather than a constructor, so EF can group and filter on them in SQL.</summary>
internal sealed class EscrowLine
{
    public long Id { get; init; }

    public Guid Organisation { get; init; }

    public string Project { get; init; } = "";

    public DateTimeOffset PostedAt { get; init; }

    public DateTimeOffset RecordedAt { get; init; }

    public long Amount { get; init; }
}
