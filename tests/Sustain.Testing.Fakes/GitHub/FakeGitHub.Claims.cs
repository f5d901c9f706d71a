namespace Sustain.Testing.Fakes.GitHub;

/// <summary>What maintainer-claim tests set up and ask of the fake: a repository with a role for a user, and the calls made about one repository.</summary>
public sealed partial class FakeGitHub
{
    /// <summary>A public repository under <paramref name="owner"/> (an organisation) on which <paramref name="user"/> holds <paramref name="permission"/>.</summary>
    public FakeGitHubRepository AddRepositoryWithRole(string owner, string name, FakeGitHubUser user, GitHubPermission permission) =>
        AddRepository(owner, name).Grant(user, permission);

    /// <summary>The REST requests about <c>owner/name</c> (metadata, permissions, contents), oldest first.</summary>
    public IReadOnlyList<GitHubRequest> RequestsAbout(string owner, string name) =>
        [.. Requests.Where(r => r.Path.StartsWith($"/repos/{owner}/{name}/", StringComparison.OrdinalIgnoreCase) || string.Equals(r.Path, $"/repos/{owner}/{name}", StringComparison.OrdinalIgnoreCase))];
}
