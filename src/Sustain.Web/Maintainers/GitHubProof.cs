using System.Net;
using System.Text.Json;
using Octokit;
using Sustain.Data.Maintainers;
using Sustain.Web.GitHub;

namespace Sustain.Web.Maintainers;

/// <summary>What a look at GitHub found: the proof, or why there was none.</summary>
public sealed record ProofResult(ClaimProof Proof, string? Failure)
{
    public bool Proved => Proof != ClaimProof.None;

    public static ProofResult Failed(string reason) => new(ClaimProof.None, reason);
}

/// <summary>A repository as GitHub names it (the canonical spelling, after any rename).</summary>
public sealed record GitHubRepositoryName(string Owner, string Name)
{
    public string ProjectKey => $"github.com/{Owner}/{Name}".ToLowerInvariant();
}

/// <summary>
/// Asks GitHub, through Octokit, whether a user may claim a repository: their own permission (with their
/// access token), or the verification token committed to the repository (read as the app, it is public).
/// Every GitHub failure becomes a reason a person can act on; none escapes as an exception.
/// </summary>
public sealed partial class GitHubProof(GitHubClients clients, ILogger<GitHubProof> logger)
{
    public async Task<(GitHubRepositoryName? Repository, string? Failure)> FindRepositoryAsync(string owner, string name)
    {
        try
        {
            var repository = await clients.ForApp().Repository.Get(owner, name);
            return (new GitHubRepositoryName(repository.Owner.Login, repository.Name), null);
        }
        catch (NotFoundException)
        {
            return (null, $"GitHub has no public repository {owner}/{name}. Check the spelling; private repositories cannot be claimed.");
        }
        catch (Exception e) when (Unavailable(e) is { } reason)
        {
            return (null, reason);
        }
    }

    /// <summary>Proved when GitHub says <paramref name="login"/> has the admin or maintain role on the repository.</summary>
    public async Task<ProofResult> PermissionAsync(string accessToken, GitHubRepositoryName repository, string login)
    {
        try
        {
            var permission = await clients.ForUser(accessToken).Repository.Collaborator.ReviewPermission(repository.Owner, repository.Name, login);
            var role = permission.RoleName ?? permission.Permission;
            return role is "admin" or "maintain"
                ? new ProofResult(ClaimProof.Permission, null)
                : ProofResult.Failed($"GitHub says {login}'s role on {repository.Owner}/{repository.Name} is '{role}'; admin or maintain proves a claim at once.");
        }
        catch (Exception e) when (e is NotFoundException or ForbiddenException && e is not (RateLimitExceededException or SecondaryRateLimitExceededException))
        {
            return ProofResult.Failed($"GitHub does not list {login} as a collaborator of {repository.Owner}/{repository.Name}, so a permission cannot prove the claim.");
        }
        catch (AuthorizationException)
        {
            return ProofResult.Failed($"GitHub no longer accepts the access {login} granted Sustain; sign in with GitHub again so the permission can be checked.");
        }
        catch (Exception e) when (Unavailable(e) is { } reason)
        {
            return ProofResult.Failed(reason);
        }
    }

    /// <summary>Proved when <paramref name="token"/> is in the repository's <c>.sustain-claim</c> file or under <c>sustainClaim</c> in its <c>funding.json</c>.</summary>
    public async Task<ProofResult> CommittedTokenAsync(GitHubRepositoryName repository, string token)
    {
        try
        {
            var file = await ReadFileAsync(repository, ClaimLocations.ClaimFile);
            if (file is not null && file.Contains(token, StringComparison.Ordinal))
                return new ProofResult(ClaimProof.ClaimFile, null);
            var funding = await ReadFileAsync(repository, ClaimLocations.FundingJson);
            if (funding is not null && FundingJsonNames(funding, token) is { } fundingFailure)
                return fundingFailure.Length == 0 ? new ProofResult(ClaimProof.FundingJson, null) : ProofResult.Failed(fundingFailure);
            return ProofResult.Failed(file is null && funding is null
                ? $"Neither {ClaimLocations.ClaimFile} nor {ClaimLocations.FundingJson} is on the default branch of {repository.Owner}/{repository.Name}."
                : $"The token is not in {ClaimLocations.ClaimFile} or under \"{ClaimLocations.FundingJsonKey}\" in {ClaimLocations.FundingJson} on the default branch of {repository.Owner}/{repository.Name}.");
        }
        catch (Exception e) when (Unavailable(e) is { } reason)
        {
            return ProofResult.Failed(reason);
        }
    }

    private async Task<string?> ReadFileAsync(GitHubRepositoryName repository, string path)
    {
        try
        {
            var contents = await clients.ForApp().Repository.Content.GetAllContents(repository.Owner, repository.Name, path);
            return contents.Count == 1 && contents[0].Type.Value == ContentType.File ? contents[0].Content : null;
        }
        catch (NotFoundException)
        {
            return null;
        }
    }

    /// <summary>"" when <c>funding.json</c> names the token, a reason when it cannot be read, null when it simply does not name it.</summary>
    private static string? FundingJsonNames(string json, string token)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty(ClaimLocations.FundingJsonKey, out var value))
                return null;
            var named = value.ValueKind switch
            {
                JsonValueKind.String => value.GetString() == token,
                JsonValueKind.Array => value.EnumerateArray().Any(v => v.ValueKind == JsonValueKind.String && v.GetString() == token),
                _ => false,
            };
            return named ? "" : null;
        }
        catch (JsonException e)
        {
            return $"{ClaimLocations.FundingJson} is not valid JSON ({e.Message}), so its \"{ClaimLocations.FundingJsonKey}\" cannot be read.";
        }
    }

    private string? Unavailable(Exception e)
    {
        switch (e)
        {
            case RateLimitExceededException limit:
                return $"GitHub's rate limit is spent until {limit.Reset.UtcDateTime:HH:mm} UTC; try again after that.";
            case SecondaryRateLimitExceededException:
                return "GitHub asked us to slow down; try again in a few minutes.";
            case ApiException api when api.StatusCode >= HttpStatusCode.InternalServerError:
                GitHubFailed(logger, (int)api.StatusCode, e);
                return $"GitHub answered {(int)api.StatusCode}; try again in a few minutes.";
            case ApiException api:
                GitHubFailed(logger, (int)api.StatusCode, e);
                return $"GitHub refused the request ({(int)api.StatusCode}: {api.Message}).";
            case HttpRequestException or TaskCanceledException:
                GitHubFailed(logger, 0, e);
                return "GitHub could not be reached; try again in a few minutes.";
            default:
                return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A GitHub call for a maintainer claim failed ({Status})")]
    private static partial void GitHubFailed(ILogger logger, int status, Exception exception);
}
