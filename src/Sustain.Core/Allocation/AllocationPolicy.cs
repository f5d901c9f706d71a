namespace Sustain.Core.Allocation;

/// <summary>
/// How a budget is turned into shares. The defaults are the design's default policy: α = 0.5,
/// products weighted as they say, the organisation's own, company-owned and archived projects
/// excluded, no criticality or need factor, no minimum or maximum share.
/// </summary>
public sealed record AllocationPolicy
{
    public static AllocationPolicy Default { get; } = new();

    /// <summary>
    /// The fraction of the reliance reaching a package that it passes on to its own dependencies
    /// (0 to 1). It is read to 1/2^20 (about six decimal places).
    /// </summary>
    public double Alpha { get; init; } = 0.5;

    /// <summary>Product key → weight, overriding the product's own weight. Weights are relative and non-negative.</summary>
    public IReadOnlyDictionary<string, double> ProductWeights { get; init; } = new Dictionary<string, double>();

    public bool ExcludeOwnProjects { get; init; } = true;

    public bool ExcludeCompanyOwned { get; init; } = true;

    public bool ExcludeArchived { get; init; } = true;

    /// <summary>Multiply a project's weight by 1 + ln(1 + dependents).</summary>
    public bool Criticality { get; init; }

    /// <summary>Divide a project's weight by 1 + ln(1 + existing yearly funding in major units of its currency).</summary>
    public bool Need { get; init; }

    /// <summary>Shares below this are dropped and their money re-spread; null for none.</summary>
    public ShareLimit? Minimum { get; init; }

    /// <summary>Shares above this are capped and the excess re-spread; null for none.</summary>
    public ShareLimit? Maximum { get; init; }
}

/// <summary>A minimum or maximum share: basis points of the budget, or an amount.</summary>
public readonly record struct ShareLimit
{
    private ShareLimit(int? basisPoints, Money? amount)
    {
        BasisPoints = basisPoints;
        Amount = amount;
    }

    public int? BasisPoints { get; }

    public Money? Amount { get; }

    public static ShareLimit OfBudget(int basisPoints)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(basisPoints);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(basisPoints, 10_000);
        return new ShareLimit(basisPoints, null);
    }

    public static ShareLimit Of(Money amount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount.Minor);
        return new ShareLimit(null, amount);
    }

    /// <summary>
    /// The limit in minor units of <paramref name="budget"/>. A fraction of the budget is rounded
    /// toward the side that keeps the promise: up for a minimum, down for a maximum.
    /// </summary>
    internal long MinorOf(Money budget, bool roundUp)
    {
        if (Amount is { } amount)
        {
            if (amount.Currency != budget.Currency)
                throw new ArgumentException($"a share limit of {amount} does not match the budget's currency {budget.Currency}");
            return amount.Minor;
        }

        var product = (Int128)budget.Minor * BasisPoints.GetValueOrDefault();
        var limit = product / 10_000;
        if (roundUp && product % 10_000 != 0)
            limit++;
        return (long)limit;
    }

    /// <summary>The limit in ten-thousandths of a minor unit of <paramref name="budget"/>: exact, for comparing two limits.</summary>
    internal Int128 TenThousandths(Money budget) => (Int128)(Amount?.Minor ?? budget.Minor) * (BasisPoints ?? 10_000);

    public override string ToString() => Amount is { } amount ? amount.ToString() : $"{BasisPoints / 100.0:0.##}% of the budget";
}
