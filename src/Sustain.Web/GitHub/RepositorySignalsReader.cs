using System.Text;
using Octokit;
using Sustain.Core.Funding;
using Sustain.Data.Projects;

namespace Sustain.Web.GitHub;

/// <summary>What GitHub says of one repository, read for the project signals.</summary>
public sealed record RepositorySignals(
    int Stars,
    bool Archived,
    DateTimeOffset? LastPushAt,
    OwnerKind OwnerKind,
    string? LicenseSpdxId,
    string DefaultBranch,
    FundingChannels Funding,
    string? FundingWarning,
    IReadOnlyList<string> Maintainers,
    DateTimeOffset? LatestReleaseAt);

/// <summary>
/// Reads a repository's signals through Octokit, each call through <see cref="GitHubRateGate"/>:
/// the repository, <c>.github/FUNDING.yml</c> and <c>funding.json</c> (contents API, parsed with the
/// Core parsers), the commits of the last twelve months and the recent releases. Null when GitHub
/// has no such repository (or it is private).
/// </summary>
public sealed class RepositorySignalsReader(GitHubClients clients, GitHubRateGate gate, TimeProvider clock)
{
    /// <summary>Commit pages read at most (100 each): enough to count a year's distinct authors of all but the busiest projects.</summary>
    private const int CommitPages = 3;

    public static readonly TimeSpan MaintainerWindow = TimeSpan.FromDays(365);

    public async Task<RepositorySignals?> ReadAsync(string owner, string name, Func<string, Task>? waiting, CancellationToken cancellation)
    {
        var client = clients.ForApp();
        Repository repository;
        try
        {
            repository = await gate.CallAsync(client, c => c.Repository.Get(owner, name), waiting, cancellation);
        }
        catch (NotFoundException)
        {
            return null;
        }

        var since = clock.GetUtcNow() - MaintainerWindow;
        var (yml, ymlWarning) = await ReadFundingYmlAsync(client, owner, name, waiting, cancellation);
        var (json, jsonWarning) = await ReadFundingJsonAsync(client, owner, name, waiting, cancellation);
        var commits = await OrEmptyAsync(() => gate.CallAsync(client, c => c.Repository.Commit.GetAll(owner, name, new CommitRequest { Since = since }, new ApiOptions { PageSize = 100, PageCount = CommitPages }), waiting, cancellation));
        var releases = await OrEmptyAsync(() => gate.CallAsync(client, c => c.Repository.Release.GetAll(owner, name, new ApiOptions { PageSize = 30, PageCount = 1 }), waiting, cancellation));

        var published = releases.Where(r => !r.Draft).ToList();
        var latestRelease = published.Count == 0 ? (DateTimeOffset?)null : published.Max(r => r.PublishedAt ?? r.CreatedAt);
        var maintainers = commits.Select(c => c.Author?.Login ?? c.Commit?.Author?.Email)
            .Concat(published.Where(r => (r.PublishedAt ?? r.CreatedAt) >= since).Select(r => r.Author?.Login))
            .Where(m => !string.IsNullOrWhiteSpace(m) && !IsBot(m!))
            .Select(m => m!)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.OrdinalIgnoreCase)
            .ToList();

        var license = repository.License?.SpdxId is { Length: > 0 } spdx && spdx != "NOASSERTION" ? spdx : null;
        var ownerKind = repository.Owner?.Type switch
        {
            AccountType.Organization => OwnerKind.Organisation,
            AccountType.User => OwnerKind.User,
            _ => OwnerKind.Unknown,
        };
        var warning = string.Join(" ", new[] { ymlWarning, jsonWarning }.Where(w => w is not null));
        return new RepositorySignals(
            repository.StargazersCount,
            repository.Archived,
            repository.PushedAt,
            ownerKind,
            license,
            repository.DefaultBranch ?? "main",
            FundingChannels.From(yml, json),
            warning.Length == 0 ? null : warning,
            maintainers,
            latestRelease);
    }

    private async Task<(FundingYml? Yml, string? Warning)> ReadFundingYmlAsync(IGitHubClient client, string owner, string name, Func<string, Task>? waiting, CancellationToken cancellation)
    {
        var text = await FileAsync(client, owner, name, ".github/FUNDING.yml", waiting, cancellation);
        if (text is null)
            return (null, null);
        try
        {
            return (FundingYml.Parse(text), null);
        }
        catch (FundingFormatException e)
        {
            return (null, $".github/FUNDING.yml could not be read: {e.Message}");
        }
    }

    private async Task<(FundingJson? Json, string? Warning)> ReadFundingJsonAsync(IGitHubClient client, string owner, string name, Func<string, Task>? waiting, CancellationToken cancellation)
    {
        var text = await FileAsync(client, owner, name, "funding.json", waiting, cancellation);
        if (text is null)
            return (null, null);
        try
        {
            return FundingJson.Parse(text) switch
            {
                FundingJsonResult.Manifest manifest => (manifest.Json, null),
                FundingJsonResult.NotAManifest not => (null, $"funding.json is not a funding manifest: {not.Reason}"),
                _ => (null, null),
            };
        }
        catch (FundingFormatException e)
        {
            return (null, $"funding.json could not be read: {e.Message}");
        }
    }

    /// <summary>A file on the default branch, decoded; null when there is none (or it is a folder, or too large to inline).</summary>
    private async Task<string?> FileAsync(IGitHubClient client, string owner, string name, string path, Func<string, Task>? waiting, CancellationToken cancellation)
    {
        try
        {
            var entries = await gate.CallAsync(client, c => c.Repository.Content.GetAllContents(owner, name, path), waiting, cancellation);
            if (entries.Count != 1 || entries[0].Type.Value != ContentType.File || entries[0].EncodedContent is not { } encoded)
                return null;
            var bytes = Convert.FromBase64String(encoded.Replace("\n", "", StringComparison.Ordinal));
            return bytes.Length > FundingJson.MaxBytes ? null : Encoding.UTF8.GetString(bytes);
        }
        catch (NotFoundException)
        {
            return null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>An empty list for a repository GitHub cannot list (an empty repository answers 409 to the commits list).</summary>
    private static async Task<IReadOnlyList<T>> OrEmptyAsync<T>(Func<Task<IReadOnlyList<T>>> read)
    {
        try
        {
            return await read();
        }
        catch (ApiException e) when (e.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.Conflict)
        {
            return [];
        }
    }

    private static bool IsBot(string login) => login.EndsWith("[bot]", StringComparison.OrdinalIgnoreCase);
}
