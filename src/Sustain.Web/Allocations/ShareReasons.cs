using System.Globalization;
using System.Text.Json;
using Sustain.Core;
using Sustain.Core.Allocation;

namespace Sustain.Web.Allocations;

/// <summary>A package that carried reliance to a project: in which product, and how much of that product's reliance (a fraction of 1).</summary>
public sealed record ReasonPackage(string Product, string Package, string Name, double Reliance);

/// <summary>
/// Why a project gets its share, in the words the pages and exports show: the products that reach it,
/// the heaviest packages, a representative path from a product's root, and the engine's notes
/// (exclusions, pins, limits, factors). Stored as a snapshot share's <c>ReasonsJson</c>.
/// </summary>
public sealed record ShareReasons(
    IReadOnlyList<string> Products,
    IReadOnlyList<ReasonPackage> Packages,
    int MorePackages,
    string? PathProduct,
    IReadOnlyList<string> Path,
    IReadOnlyList<string> Notes)
{
    private const int PackagesKept = 10;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static ShareReasons Of(AllocationShare share, AllocationBasis basis)
    {
        ArgumentNullException.ThrowIfNull(share);
        ArgumentNullException.ThrowIfNull(basis);
        var products = share.Contributions.Select(c => c.Product).Distinct(StringComparer.Ordinal).Select(basis.ProductName).ToList();
        var packages = share.Contributions.Take(PackagesKept)
            .Select(c => new ReasonPackage(basis.ProductName(c.Product), c.Package, basis.PackageName(c.Package), Math.Round(c.Reliance, 6)))
            .ToList();
        return new ShareReasons(
            products,
            packages,
            Math.Max(0, share.Contributions.Count - PackagesKept),
            share.PathProduct is { } product ? basis.ProductName(product) : null,
            [.. share.Path.Select(basis.PackageName)],
            share.Notes);
    }

    /// <summary>One line for a CSV cell: products, heaviest packages, the path, then the notes.</summary>
    public string Summary()
    {
        var parts = new List<string>();
        if (Products.Count > 0)
            parts.Add("used by " + string.Join(", ", Products));
        if (Packages.Count > 0)
        {
            var names = string.Join(", ", Packages.Select(p => p.Name).Distinct(StringComparer.Ordinal).Take(5));
            var more = Packages.Select(p => p.Name).Distinct(StringComparer.Ordinal).Count() - 5 + MorePackages;
            parts.Add("packages " + names + (more > 0 ? string.Create(CultureInfo.InvariantCulture, $" and {more} more") : ""));
        }

        if (Path.Count > 0)
            parts.Add($"path in {PathProduct}: {string.Join(" > ", Path)}");
        parts.AddRange(Notes);
        return string.Join("; ", parts);
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static ShareReasons FromJson(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<ShareReasons>(json, Json) ?? Empty;
        }
        catch (JsonException)
        {
            return Empty;
        }
    }

    public static ShareReasons Empty { get; } = new([], [], 0, null, [], []);
}

/// <summary>
/// One row of an allocation as the pages show it, from a live allocation or a saved snapshot. The
/// reasons are worked out when first read, so a what-if recompute over 10,000 projects only builds
/// them for the rows on screen.
/// </summary>
public sealed class ShareRow(string projectKey, Money amount, ShareStatus status, Func<ShareReasons> reasons, double reliance)
{
    private readonly Lazy<ShareReasons> _reasons = new(reasons, LazyThreadSafetyMode.ExecutionAndPublication);

    public ShareRow(string projectKey, Money amount, ShareStatus status, ShareReasons reasons, double reliance)
        : this(projectKey, amount, status, () => reasons, reliance)
    {
    }

    public string ProjectKey { get; } = projectKey;

    public Money Amount { get; } = amount;

    public ShareStatus Status { get; } = status;

    public double Reliance { get; } = reliance;

    public ShareReasons Reasons => _reasons.Value;

    public string StatusText => Status switch
    {
        ShareStatus.BelowMinimum => "Below minimum",
        _ => Status.ToString(),
    };

    public static string PercentText(Money amount, Money budget) =>
        (budget.Minor == 0 ? 0m : (decimal)amount.Minor * 100 / budget.Minor).ToString("0.00", CultureInfo.InvariantCulture);

    public static IReadOnlyList<ShareRow> Of(Allocation allocation, AllocationBasis basis) =>
        [.. AllocationBasis.Visible(allocation).Select(s => new ShareRow(s.ProjectKey, s.Amount, s.Status, () => ShareReasons.Of(s, basis), s.Reliance))];
}
