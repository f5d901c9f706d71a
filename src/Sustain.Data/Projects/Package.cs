namespace Sustain.Data.Projects;

/// <summary>
/// A package, shared by every organisation that uses it: a purl without version
/// (<c>pkg:npm/%40babel/core</c>). The registry's signals are kept from its latest answer.
/// </summary>
public class Package
{
    /// <summary>The purl without version, qualifiers or subpath.</summary>
    public required string Key { get; set; }

    /// <summary>The purl type: npm, maven, pypi, ...</summary>
    public required string Ecosystem { get; set; }

    /// <summary>The name as the ecosystem writes it: <c>@babel/core</c>, <c>org.slf4j:slf4j-api</c>, <c>requests</c>.</summary>
    public required string Name { get; set; }

    public int? DependentPackagesCount { get; set; }

    public int? DependentReposCount { get; set; }

    /// <summary>The registry's funding links, one per line.</summary>
    public string? FundingLinks { get; set; }

    public DateTimeOffset FirstSeenAt { get; set; } = DateTimeOffset.UtcNow;
}
