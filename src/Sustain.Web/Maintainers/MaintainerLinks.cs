namespace Sustain.Web.Maintainers;

public static class MaintainerLinks
{
    public const string Home = "/maintainers";

    public const string Claim = "/maintainers/claim";

    public const string Queue = "/ops/claims";

    /// <summary>The project's maintainer page; the key's slashes stay slashes (the route is a catch-all).</summary>
    public static string Project(string projectKey, string? done = null) =>
        "/maintainers/projects/" + string.Join('/', projectKey.Split('/').Select(Uri.EscapeDataString)) + (done is null ? "" : "?done=" + Uri.EscapeDataString(done));
}
