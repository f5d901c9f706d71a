using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Sustain.Testing.Fakes.GitHub;
using Sustain.Web.GitHub;

namespace Sustain.Web.Tests.Projects;

/// <summary>The gate in front of every GitHub call, against the fake GitHub's real headers.</summary>
public sealed class GitHubRateGateTests : IAsyncLifetime
{
    private FakeGitHub _github = default!;

    public async Task InitializeAsync()
    {
        _github = await FakeGitHub.StartAsync();
        _github.AddRepository("gate", "repo");
    }

    public async Task DisposeAsync() => await _github.DisposeAsync();

    [Fact]
    public async Task When_an_answer_says_no_requests_remain_no_further_call_is_made_before_the_reset()
    {
        using var gate = Gate();
        var client = GitHubClients.Create(_github.ApiBaseAddress, token: null);
        // An anonymous caller has 60 requests an hour: the 60th answer carries X-RateLimit-Remaining: 0.
        for (var i = 0; i < FakeGitHub.AnonymousRateLimit; i++)
            await gate.CallAsync(client, c => c.Repository.Get("gate", "repo"), null, CancellationToken.None);
        Assert.True(gate.ResumeAt > DateTimeOffset.UtcNow.AddMinutes(30), $"resumes at {gate.ResumeAt}");

        var said = new List<string>();
        using var patience = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gate.CallAsync(client, c => c.Repository.Get("gate", "repo"), w =>
        {
            said.Add(w);
            return Task.CompletedTask;
        }, patience.Token));

        Assert.Equal(FakeGitHub.AnonymousRateLimit, _github.RequestsTo("/repos/gate/repo").Count);
        Assert.Contains(said, w => w.StartsWith("Waiting for GitHub's rate limit", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_GitHub_that_cannot_be_reached_is_given_up_on_after_the_retries()
    {
        using var gate = Gate();
        var client = GitHubClients.Create(Sustain.Web.Tests.Fakes.Offline.ClosedPort, token: null);
        var said = new List<string>();

        var error = await Assert.ThrowsAsync<GitHubUnreachableException>(() => gate.CallAsync(client, c => c.Repository.Get("gate", "repo"), w =>
        {
            said.Add(w);
            return Task.CompletedTask;
        }, CancellationToken.None));

        Assert.StartsWith("GitHub could not be reached", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, said.Count);
    }

    private static GitHubRateGate Gate() => new(
        Options.Create(new GitHubCallOptions { MaxRetries = 2, RetryDelay = TimeSpan.FromMilliseconds(10) }),
        TimeProvider.System,
        NullLogger<GitHubRateGate>.Instance);
}
