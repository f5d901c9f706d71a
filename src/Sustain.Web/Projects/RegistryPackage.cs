using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Sustain.Core.Purls;

namespace Sustain.Web.Projects;

/// <summary>
/// Where ecosyste.ms keeps a package: the registry ecosyste.ms lists for the purl type's ecosystem
/// (read from its registry list, never written down here), and the name as that ecosystem writes
/// it (<c>@babel/core</c>, <c>org.slf4j:slf4j-api</c> for Maven, <c>github.com/stretchr/testify</c> for Go).
/// </summary>
public static class RegistryPackage
{
    /// <summary>Purl type → the ecosystem word ecosyste.ms uses for it, where the two differ or where it is known to be served.</summary>
    private static readonly Dictionary<string, string> Ecosystems = new(StringComparer.Ordinal)
    {
        ["npm"] = "npm",
        ["pypi"] = "pypi",
        ["maven"] = "maven",
        ["nuget"] = "nuget",
        ["cargo"] = "cargo",
        ["gem"] = "rubygems",
        ["golang"] = "go",
        ["composer"] = "packagist",
        ["hex"] = "hex",
        ["pub"] = "pub",
        ["cocoapods"] = "cocoapods",
        ["hackage"] = "hackage",
        ["cran"] = "cran",
        ["clojars"] = "clojars",
        ["cpan"] = "cpan",
        ["swift"] = "swiftpm",
        ["conda"] = "conda",
        ["julia"] = "julia",
    };

    /// <summary>The ecosyste.ms ecosystem of a purl type; null for types it does not serve.</summary>
    public static string? EcosystemOf(string purlType) => Ecosystems.GetValueOrDefault(purlType);

    /// <summary>The package's name as its ecosystem writes it, namespace included.</summary>
    public static string NameOf(Purl purl) => (purl.Type, purl.Namespace) switch
    {
        (_, null or "") => purl.Name,
        ("maven", var group) => $"{group}:{purl.Name}",
        (_, var ns) => $"{ns}/{purl.Name}",
    };
}

/// <summary>The parts of an ecosyste.ms package answer that resolution and the project signals use.</summary>
public sealed record RegistryMetadata(string? RepositoryUrl, string? Homepage, IReadOnlyList<string> FundingLinks, int? DependentPackagesCount, int? DependentReposCount)
{
    public static RegistryMetadata Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var funding = new List<string>();
        if (root.TryGetProperty("funding_links", out var links) && links.ValueKind == JsonValueKind.Array)
        {
            foreach (var link in links.EnumerateArray())
            {
                if (link.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(link.GetString()))
                    funding.Add(link.GetString()!);
            }
        }

        return new RegistryMetadata(Text(root, "repository_url"), Text(root, "homepage"), funding, Count(root, "dependent_packages_count"), Count(root, "dependent_repos_count"));
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString()) ? value.GetString() : null;

    private static int? Count(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var count) ? count : null;
}
