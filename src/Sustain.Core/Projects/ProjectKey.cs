using System.Diagnostics.CodeAnalysis;
using Sustain.Core.Purls;
using Sustain.Core.Sboms;

namespace Sustain.Core.Projects;

/// <summary>
/// The one key a source project is known by: <c>github.com/owner/repo</c>, lower case, whatever
/// spelling of its repository URL a package or SBOM gives (<c>git+ssh://git@github.com/Owner/Repo.git</c>,
/// <c>git@github.com:owner/repo</c>, <c>https://github.com/owner/repo/tree/main/packages/x</c>,
/// <c>github:owner/repo</c>, <c>pkg:github/owner/repo</c>). Monorepo sub-folders collapse to the
/// repository, so every <c>@babel/*</c> package maps to <c>github.com/babel/babel</c>.
/// </summary>
public static class ProjectKey
{
    /// <summary>Hosts whose repositories are exactly owner/name; case-insensitive on the host's side.</summary>
    private static readonly HashSet<string> OwnerRepoHosts = new(StringComparer.Ordinal) { "github.com", "bitbucket.org", "codeberg.org", "gitea.com" };

    private static readonly HashSet<string> CodeHosts = new(StringComparer.Ordinal) { "github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "gitea.com", "git.sr.ht", "sr.ht" };

    /// <summary>Path segments after which a URL points inside a repository rather than at it.</summary>
    private static readonly HashSet<string> InRepositoryMarkers = new(StringComparer.Ordinal) { "-", "tree", "blob", "src", "commit", "commits", "releases", "issues", "pulls", "wiki", "tags", "archive", "raw" };

    /// <summary>Normalises a repository URL to a project key; false (with the reason) when it names no repository.</summary>
    public static bool TryFromRepositoryUrl(string? url, [NotNullWhen(true)] out string? key, [NotNullWhen(false)] out string? reason)
    {
        key = null;
        reason = null;
        if (string.IsNullOrWhiteSpace(url))
        {
            reason = "no repository URL";
            return false;
        }

        var text = url.Trim();
        foreach (var prefix in new[] { "git+", "scm:git:", "scm:" })
        {
            if (text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                text = text[prefix.Length..];
        }

        foreach (var (shorthand, host) in new[] { ("github:", "github.com"), ("gitlab:", "gitlab.com"), ("bitbucket:", "bitbucket.org") })
        {
            if (text.StartsWith(shorthand, StringComparison.OrdinalIgnoreCase))
                text = $"https://{host}/{text[shorthand.Length..]}";
        }

        // scp-like: git@github.com:owner/repo.git
        var at = text.IndexOf('@', StringComparison.Ordinal);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (!text.Contains("://", StringComparison.Ordinal) && at >= 0 && colon > at)
            text = $"ssh://{text[..colon]}/{text[(colon + 1)..]}";
        if (!text.Contains("://", StringComparison.Ordinal))
            text = "https://" + text;

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            reason = $"'{url}' is not a URL";
            return false;
        }

        var hostName = uri.Host.ToLowerInvariant();
        if (hostName.StartsWith("www.", StringComparison.Ordinal))
            hostName = hostName[4..];
        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToList();
        var end = segments.FindIndex(s => InRepositoryMarkers.Contains(s));
        if (end >= 0)
            segments = segments[..end];
        if (OwnerRepoHosts.Contains(hostName) && segments.Count > 2)
            segments = segments[..2];
        if (segments.Count < 2)
        {
            reason = $"'{url}' does not name a repository (expected host/owner/repository)";
            return false;
        }

        segments[^1] = StripGitSuffix(segments[^1]);
        if (segments.Any(s => s.Length == 0 || s is "." or ".."))
        {
            reason = $"'{url}' does not name a repository";
            return false;
        }

        key = $"{hostName}/{string.Join('/', segments)}".ToLowerInvariant();
        return true;
    }

    /// <summary>
    /// What the SBOM itself says of a component's project, in order: a <c>pkg:github</c> purl, the
    /// purl's <c>vcs_url</c> qualifier, a VCS external reference, a website on a code host.
    /// </summary>
    public static bool TryFromComponent(SbomComponent component, [NotNullWhen(true)] out string? key, [NotNullWhen(false)] out string? reason) =>
        TryFromSbom(
            component.Purl,
            component.ExternalReferences.Where(r => r.Type == ExternalReference.Vcs).Select(r => r.Url),
            component.ExternalReferences.Where(r => r.Type == ExternalReference.Website).Select(r => r.Url),
            out key,
            out reason);

    /// <summary>The same as <see cref="TryFromComponent"/>, from the facts an upload keeps of a component: its purl, VCS URL and website.</summary>
    public static bool TryFromSbom(Purl? purl, IEnumerable<string?> vcsUrls, IEnumerable<string?> websites, [NotNullWhen(true)] out string? key, [NotNullWhen(false)] out string? reason)
    {
        if (purl is { Type: "github", Namespace: { } owner })
            return TryFromRepositoryUrl($"https://github.com/{owner}/{purl.Name}", out key, out reason);
        if (purl?.Qualifiers is { } qualifiers && qualifiers.TryGetValue("vcs_url", out var vcs) && TryFromRepositoryUrl(vcs, out key, out _))
        {
            reason = null;
            return true;
        }

        foreach (var url in vcsUrls)
        {
            if (TryFromRepositoryUrl(url, out key, out _))
            {
                reason = null;
                return true;
            }
        }

        foreach (var url in websites)
        {
            if (url is not null && IsCodeHost(url) && TryFromRepositoryUrl(url, out key, out _))
            {
                reason = null;
                return true;
            }
        }

        key = null;
        reason = "the SBOM names no repository for it (no VCS reference, vcs_url qualifier or pkg:github purl)";
        return false;
    }

    /// <summary>
    /// Whether a project key is on a public code host (GitHub, GitLab, Bitbucket, Codeberg, Gitea,
    /// SourceHut, or a self-hosted GitLab): a registry's "repository" is sometimes only a homepage.
    /// </summary>
    public static bool IsOnCodeHost(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var host = slash < 0 ? key : key[..slash];
        return CodeHosts.Contains(host) || host.StartsWith("gitlab.", StringComparison.Ordinal);
    }

    private static bool IsCodeHost(string url) =>
        url.Contains("github.com/", StringComparison.OrdinalIgnoreCase) || url.Contains("gitlab.com/", StringComparison.OrdinalIgnoreCase) || url.Contains("bitbucket.org/", StringComparison.OrdinalIgnoreCase);

    private static string StripGitSuffix(string name) =>
        name.EndsWith(".git", StringComparison.OrdinalIgnoreCase) ? name[..^4] : name;
}
