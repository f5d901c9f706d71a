using Microsoft.Extensions.Options;
using Octokit;
using Sustain.Web.Identity;

namespace Sustain.Web.GitHub;

/// <summary>
/// Octokit clients for the configured GitHub API base address (a local fake in tests): one acting
/// as the app (with <c>GitHub:Token</c> when set, which raises GitHub's rate limit) and one acting
/// as a signed-in user. Every call to GitHub goes through a client made here.
/// </summary>
public sealed class GitHubClients(IOptions<GitHubOptions> options)
{
    private static readonly ProductHeaderValue Product = new("Sustain");

    /// <summary>A client acting as the app, for public repository data.</summary>
    public IGitHubClient ForApp() => Create(options.Value.Token);

    /// <summary>A client acting as a user, with the OAuth access token they granted.</summary>
    public IGitHubClient ForUser(string accessToken) => Create(accessToken);

    public static IGitHubClient Create(Uri apiBaseAddress, string? token)
    {
        var client = new GitHubClient(new Connection(Product, apiBaseAddress));
        if (!string.IsNullOrWhiteSpace(token))
            client.Credentials = new Credentials(token);
        return client;
    }

    private GitHubClient Create(string? token) => (GitHubClient)Create(options.Value.ApiBaseAddress, token);
}
