using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Sustain.Core.Funding;

/// <summary>
/// The platforms GitHub's FUNDING.yml documents: the key each is written under, the page a handle
/// leads to, and the reverse, which platform and handle a URL is the page of.
/// </summary>
public static partial class FundingPlatforms
{
    private sealed record Shape(FundingPlatform Platform, string Key, string BaseUrl, int MinSegments, int MaxSegments);

    // Handles are one path segment except where the platform's syntax has slashes: Tidelift's
    // platform-name/package-name (npm scopes add one more) and thanks.dev's u/gh/USERNAME.
    private static readonly Shape[] Shapes =
    [
        new(FundingPlatform.GitHubSponsors, "github", "https://github.com/sponsors/", 1, 1),
        new(FundingPlatform.Patreon, "patreon", "https://www.patreon.com/", 1, 1),
        new(FundingPlatform.OpenCollective, "open_collective", "https://opencollective.com/", 1, 1),
        new(FundingPlatform.KoFi, "ko_fi", "https://ko-fi.com/", 1, 1),
        new(FundingPlatform.Tidelift, "tidelift", "https://tidelift.com/funding/github/", 2, 3),
        new(FundingPlatform.CommunityBridge, "community_bridge", "https://crowdfunding.lfx.linuxfoundation.org/projects/", 1, 1),
        new(FundingPlatform.Liberapay, "liberapay", "https://liberapay.com/", 1, 1),
        new(FundingPlatform.IssueHunt, "issuehunt", "https://issuehunt.io/r/", 1, 1),
        new(FundingPlatform.LfxCrowdfunding, "lfx_crowdfunding", "https://crowdfunding.lfx.linuxfoundation.org/projects/", 1, 1),
        new(FundingPlatform.Polar, "polar", "https://polar.sh/", 1, 1),
        new(FundingPlatform.BuyMeACoffee, "buy_me_a_coffee", "https://buymeacoffee.com/", 1, 1),
        new(FundingPlatform.ThanksDev, "thanks_dev", "https://thanks.dev/", 1, 3),
    ];

    /// <summary>The FUNDING.yml key of every platform GitHub documents, <c>custom</c> included.</summary>
    public static IReadOnlyList<string> Keys { get; } = [.. Shapes.Select(s => s.Key), "custom"];

    /// <summary>The FUNDING.yml key a platform is written under: <c>open_collective</c>, <c>custom</c>; null for <see cref="FundingPlatform.Direct"/>.</summary>
    public static string? Key(FundingPlatform platform) =>
        platform == FundingPlatform.Custom ? "custom" : Array.Find(Shapes, s => s.Platform == platform)?.Key;

    /// <summary>The platform of a FUNDING.yml key, exactly as GitHub spells it (lower case).</summary>
    public static bool TryFromKey(string key, out FundingPlatform platform)
    {
        if (key == "custom")
        {
            platform = FundingPlatform.Custom;
            return true;
        }

        var shape = Array.Find(Shapes, s => s.Key == key);
        platform = shape?.Platform ?? default;
        return shape is not null;
    }

    /// <summary>The page of a handle on a platform, or why the handle cannot name one.</summary>
    public static bool TryChannel(FundingPlatform platform, string handle, [NotNullWhen(true)] out FundingChannel? channel, [NotNullWhen(false)] out string? problem)
    {
        channel = null;
        if (platform == FundingPlatform.Custom)
        {
            if (!TryWebAddress(handle, out var page, out problem))
                return false;
            channel = new FundingChannel(platform, handle.Trim(), page);
            return true;
        }

        var shape = Array.Find(Shapes, s => s.Platform == platform);
        if (shape is null)
        {
            problem = $"{platform} has no web page of its own";
            return false;
        }

        var text = handle.Trim();
        problem = HandleProblem(shape, text);
        if (problem is not null)
            return false;
        if (!Uri.TryCreate(shape.BaseUrl + text, UriKind.Absolute, out var url))
        {
            problem = $"'{text}' does not make a {shape.Key} address";
            return false;
        }

        channel = new FundingChannel(platform, text, url);
        return true;
    }

    /// <summary>
    /// The platform and handle a web address is the funding page of (<c>https://patreon.com/zulip</c>
    /// is Patreon's <c>zulip</c>); false for any other page.
    /// </summary>
    public static bool TryRecognise(Uri url, out FundingPlatform platform, [NotNullWhen(true)] out string? handle)
    {
        platform = default;
        handle = null;
        if (!url.IsAbsoluteUri || url.Scheme is not ("https" or "http"))
            return false;
        var host = WithoutWww(url.Host);
        var path = url.AbsolutePath.Trim('/');
        // The LFX page is the one community_bridge and lfx_crowdfunding share; it is read as the current name.
        foreach (var shape in Shapes.Where(s => s.Platform != FundingPlatform.CommunityBridge))
        {
            var page = new Uri(shape.BaseUrl);
            var prefix = page.AbsolutePath.Trim('/');
            if (!string.Equals(host, WithoutWww(page.Host), StringComparison.OrdinalIgnoreCase))
                continue;
            if (prefix.Length > 0 && !path.StartsWith(prefix + "/", StringComparison.OrdinalIgnoreCase))
                continue;
            var rest = Uri.UnescapeDataString(prefix.Length == 0 ? path : path[(prefix.Length + 1)..]);
            if (HandleProblem(shape, rest) is not null)
                continue;
            platform = shape.Platform;
            handle = rest;
            return true;
        }

        return false;
    }

    /// <summary>
    /// An absolute http(s) address, or a bare one such as <c>example.com/donate</c> read as https,
    /// as GitHub reads FUNDING.yml's custom links.
    /// </summary>
    public static bool TryWebAddress(string text, [NotNullWhen(true)] out Uri? url, [NotNullWhen(false)] out string? problem)
    {
        url = null;
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            problem = "the address is empty";
            return false;
        }

        if (trimmed.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            problem = $"'{trimmed}' has spaces in it; it is not a web address";
            return false;
        }

        if (trimmed.Contains("://", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var absolute) || absolute.Scheme is not ("https" or "http") || absolute.Host.Length == 0)
            {
                problem = $"'{trimmed}' is not an http or https address";
                return false;
            }

            url = absolute;
            problem = null;
            return true;
        }

        var hostEnd = trimmed.IndexOfAny(['/', '?', '#']);
        var host = hostEnd < 0 ? trimmed : trimmed[..hostEnd];
        if (!BareHost().IsMatch(host) || !Uri.TryCreate("https://" + trimmed, UriKind.Absolute, out var bare))
        {
            problem = $"'{trimmed}' is not a web address (expected https://… or a domain such as example.com/donate)";
            return false;
        }

        url = bare;
        problem = null;
        return true;
    }

    /// <summary>
    /// What two channels share when they are the same page: host without www, path without a final
    /// slash; a platform's handle compares without case, as the platforms treat user names.
    /// </summary>
    internal static string SamenessKey(FundingChannel channel)
    {
        if (channel.Url is null)
            return "direct:" + channel.Handle.Trim().ToUpperInvariant();
        var url = channel.Url;
        var platform = channel.Platform;
        var handle = channel.Handle;
        if (platform == FundingPlatform.Custom && TryRecognise(url, out var recognised, out var recognisedHandle))
        {
            platform = recognised;
            handle = recognisedHandle;
        }

        if (platform is not FundingPlatform.Custom)
        {
            var shape = Array.Find(Shapes, s => s.Platform == platform)!;
            return (shape.BaseUrl + handle).ToUpperInvariant();
        }

        return $"{WithoutWww(url.Host).ToUpperInvariant()}{url.AbsolutePath.TrimEnd('/')}{url.Query}{url.Fragment}";
    }

    private static string? HandleProblem(Shape shape, string handle)
    {
        if (handle.Length == 0)
            return $"{shape.Key} has an empty name";
        if (handle.Contains("://", StringComparison.Ordinal))
            return $"'{handle}' is a web address; {shape.Key} takes a name, such as {shape.Key}: example";
        if (handle.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '?' or '#' or '\\' or '%'))
            return $"'{handle}' has characters a {shape.Key} name cannot have";
        var segments = handle.Split('/');
        if (segments.Any(s => s.Length == 0 || s is "." or ".."))
            return $"'{handle}' is not a {shape.Key} name";
        if (segments.Length < shape.MinSegments || segments.Length > shape.MaxSegments)
        {
            return shape.MinSegments == 2
                ? $"'{handle}' is not platform-name/package-name, as {shape.Key} takes (e.g. npm/babel)"
                : $"'{handle}' has a slash; {shape.Key} takes one name";
        }

        return null;
    }

    private static string WithoutWww(string host) =>
        host.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? host[4..] : host;

    [GeneratedRegex(@"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:[0-9]{1,5})?$", RegexOptions.CultureInvariant)]
    private static partial Regex BareHost();
}
