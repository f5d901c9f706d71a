namespace Sustain.Core.Ledger;

/// <summary>A project's weight in a payment's spread: its share of the pledged allocation, in minor units.</summary>
public readonly record struct ProjectWeight(string ProjectKey, long Weight);

/// <summary>
/// How one payment sits in the ledger. The gross is split once into Stripe's fee and the net, and
/// the net over the allocation's projects in proportion to their shares. When part of the payment
/// is given back (a refund, a dispute), what the organisation still gives, the kept amount, is
/// split again in proportion to that first split. The ledger's position for a payment therefore
/// depends only on how much is kept, never on the order or the steps by which it got there, which
/// is what lets webhooks arrive in any order (docs/adr/ADR-005-ledger.md).
/// </summary>
public sealed class PaymentSplit
{
    private readonly long[] _buckets;

    private PaymentSplit(Guid organisationId, Money gross, Money fee, IReadOnlyList<string> projects, long[] net)
    {
        OrganisationId = organisationId;
        Gross = gross;
        Fee = fee;
        Projects = projects;
        NetShares = net;
        _buckets = [fee.Minor, .. net];
    }

    public Guid OrganisationId { get; }

    public Money Gross { get; }

    public Money Fee { get; }

    public Money Net => Gross - Fee;

    public IReadOnlyList<string> Projects { get; }

    /// <summary>Each project's part of the net, in the order of <see cref="Projects"/>; they sum to <see cref="Net"/>.</summary>
    public IReadOnlyList<long> NetShares { get; }

    public Currency Currency => Gross.Currency;

    /// <summary>Splits a payment of <paramref name="gross"/>, of which Stripe kept <paramref name="fee"/>, over <paramref name="weights"/>.</summary>
    public static PaymentSplit Create(Guid organisationId, Money gross, Money fee, IReadOnlyList<ProjectWeight> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (gross.Currency != fee.Currency)
            throw new ArgumentException($"The fee is in {fee.Currency.Code} but the payment in {gross.Currency.Code}.", nameof(fee));
        if (gross.Minor <= 0)
            throw new ArgumentOutOfRangeException(nameof(gross), gross, "A payment is more than zero.");
        if (fee.Minor < 0 || fee > gross)
            throw new ArgumentOutOfRangeException(nameof(fee), fee, $"A fee is between zero and the payment ({gross}).");
        var projects = weights.Where(w => w.Weight > 0).ToList();
        if (projects.Count == 0)
            throw new ArgumentException("A payment is spread over at least one project with a share above zero.", nameof(weights));
        if (projects.Select(p => p.ProjectKey).Distinct(StringComparer.Ordinal).Count() != projects.Count)
            throw new ArgumentException("Each project appears once in a payment's spread.", nameof(weights));

        var net = ProRata.Spread(gross.Minor - fee.Minor, projects.Select(p => p.Weight).ToArray());
        return new PaymentSplit(organisationId, gross, fee, projects.Select(p => p.ProjectKey).ToArray(), net);
    }

    /// <summary>
    /// The payment's whole position when <paramref name="kept"/> of the gross is kept: the organisation
    /// credited with what it gave, the fee (Stripe never returns it), the projects' escrow in proportion,
    /// and the platform paying the fee's part of whatever was given back.
    /// </summary>
    public IReadOnlyList<LedgerEntry> PositionAt(long kept)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(kept);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(kept, Gross.Minor);
        var parts = ProRata.Spread(kept, _buckets);
        var entries = new List<LedgerEntry>(Projects.Count + 3)
        {
            new(LedgerAccounts.PaymentsClearing(OrganisationId), new Money(-kept, Currency)),
            new(LedgerAccounts.StripeFees, Fee),
            new(LedgerAccounts.Platform, new Money(parts[0] - Fee.Minor, Currency)),
        };
        for (var i = 0; i < Projects.Count; i++)
            entries.Add(new LedgerEntry(LedgerAccounts.ProjectEscrow(Projects[i]), new Money(parts[i + 1], Currency)));
        return entries;
    }

    /// <summary>The transaction recording the payment itself: the whole gross kept.</summary>
    public LedgerTransaction Payment() => LedgerTransaction.Create(LedgerKinds.Payment, PositionAt(Gross.Minor));

    /// <summary>
    /// The transaction moving the payment from keeping <paramref name="fromKept"/> to keeping
    /// <paramref name="toKept"/>: a reversal pro rata when less is kept, a reinstatement when more is.
    /// Null when nothing changes.
    /// </summary>
    public LedgerTransaction? Adjust(string kind, long fromKept, long toKept)
    {
        if (fromKept == toKept)
            return null;
        var before = PositionAt(fromKept);
        var after = PositionAt(toKept);
        return LedgerTransaction.Create(kind, after.Concat(before.Select(e => e with { Amount = -e.Amount })));
    }
}
