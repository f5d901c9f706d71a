using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Sustain.Core.Purls;

namespace Sustain.Web.Projects;

/// <summary>
/// Where ecosyste.ms keeps a package: the registry for its purl type and the name as that registry
/// writes it (<c>@babel/core</c> on npmjs.org, <c>org.slf4j:slf4j-api</c> on repo1.maven.org,
/// <c>github.com/stretchr/testify</c> on proxy.golang.org).
/// </summary>
public static class RegistryPackage
{
    private static readonly Dictionary<string, string> Registries = new(StringComparer.Ordinal)
    {
        ["npm"] = "npmjs.org",
        ["pypi"] = "pypi.org",
        ["maven"] = "repo1.maven.org",
        ["nuget"] = "nuget.org",
        ["cargo"] = "crates.io",
        ["gem"] = "rubygems.org",
        ["golang"] = "proxy.golang.org",
        ["composer"] = "packagist.org",
        ["hex"] = "hex.pm",
        ["pub"] = "pub.dev",
        ["cocoapods"] = "cocoapods.org",
        ["hackage"] = "hackage.haskell.org",
        ["cran"] = "cran.r-project.org",
        ["clojars"] = "clojars.org",
        ["cpan"] = "metacpan.org",
        ["swift"] = "swiftpackageindex.com",
        ["conda"] = "anaconda.org",
        ["julia"] = "juliahub.com",
    };

    /// <summary>The package's name as its ecosystem writes it, namespace included.</summary>
    public static string NameOf(Purl purl) => (purl.Type, purl.Namespace) switch
    {
        (_, null or "") => purl.Name,
        ("maven", var group) => $"{group}:{purl.Name}",
        (_, var ns) => $"{ns}/{purl.Name}",
    };

    public static bool TryLocate(Purl purl, [NotNullWhen(true)] out string? registry, [NotNullWhen(true)] out string? name)
    {
        name = NameOf(purl);
        return Registries.TryGetValue(purl.Type, out registry);
    }
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
