using Sustain.Core.Graphs;

namespace Sustain.Core.Allocation;

/// <summary>
/// What an allocation is computed from: a budget, the organisation's products with their dependency
/// graphs, which project each package comes from, what is known about the projects, and the
/// organisation's standing choices (its exclude list and pins).
/// </summary>
public sealed record AllocationInput
{
    public required Money Budget { get; init; }

    /// <summary>The products; keys must be distinct. Their order does not matter.</summary>
    public required IReadOnlyList<ProductGraph> Products { get; init; }

    /// <summary>Package key → project key (such as github.com/owner/repo). A package with no entry is its own project, keyed by the package key.</summary>
    public IReadOnlyDictionary<string, string> ProjectOfPackage { get; init; } = new Dictionary<string, string>();

    /// <summary>What is known about projects, by project key; a project with no entry has default attributes.</summary>
    public IReadOnlyDictionary<string, ProjectAttributes> Projects { get; init; } = new Dictionary<string, ProjectAttributes>();

    /// <summary>Project keys the organisation never funds.</summary>
    public IReadOnlyCollection<string> Excluded { get; init; } = [];

    /// <summary>Projects whose share the organisation fixes; at most one pin per project.</summary>
    public IReadOnlyList<Pin> Pins { get; init; } = [];
}

/// <summary>
/// One product: its dependency graph over package nodes, and the package key of each node (a purl
/// without version, say). Several nodes may share a package key (two versions of one package).
/// The weight says how much this product counts beside the others; a policy may override it.
/// </summary>
public sealed record ProductGraph(string Key, DependencyGraph Graph, IReadOnlyList<string> PackageKeys, double Weight = 1);

/// <summary>Signals about a project that the policy's modifiers read.</summary>
public sealed record ProjectAttributes
{
    /// <summary>The organisation itself maintains the project (it does not fund itself).</summary>
    public bool OwnedByOrganisation { get; init; }

    /// <summary>The project belongs to a company rather than to independent maintainers.</summary>
    public bool OwnedByCompany { get; init; }

    public bool Archived { get; init; }

    /// <summary>How many packages or repositories depend on the project, the criticality signal.</summary>
    public long Dependents { get; init; }

    /// <summary>What the project already receives a year, the need signal; null when unknown (read as none).</summary>
    public Money? ExistingFunding { get; init; }
}

/// <summary>A project's share fixed by the organisation: a fraction of the budget, or an amount.</summary>
public readonly record struct Pin
{
    private Pin(string projectKey, int? basisPoints, Money? amount)
    {
        ProjectKey = projectKey;
        BasisPoints = basisPoints;
        Amount = amount;
    }

    public string ProjectKey { get; }

    /// <summary>Hundredths of a percent of the budget (2,500 is 25%); null for a fixed amount.</summary>
    public int? BasisPoints { get; }

    /// <summary>A fixed amount in the budget's currency; null for a fraction of the budget.</summary>
    public Money? Amount { get; }

    public static Pin Share(string projectKey, int basisPoints)
    {
        ArgumentException.ThrowIfNullOrEmpty(projectKey);
        ArgumentOutOfRangeException.ThrowIfNegative(basisPoints);
        return new Pin(projectKey, basisPoints, null);
    }

    public static Pin Fixed(string projectKey, Money amount)
    {
        ArgumentException.ThrowIfNullOrEmpty(projectKey);
        ArgumentOutOfRangeException.ThrowIfNegative(amount.Minor);
        return new Pin(projectKey, null, amount);
    }
}
