using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sustain.Data.Jobs;
using Sustain.Web.Projects;
using Sustain.Web.Tests.Fakes;
using Sustain.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Sustain.Web.Tests.Projects;

/// <summary>
/// Times resolving a 10,000-package organisation through the job path (enqueue "Resolve now", a
/// runner claims and runs it) against the fake ecosyste.ms answering in 20 ms: cold (every package
/// asked), again (all cached, nothing to change) and for a second organisation with the same packages
/// (cached, everything to write). Prints the figures and checks the targets (cold under 30 s, cached
/// under 2 s). Run it with
/// <c>SUSTAIN_TIMING=1 dotnet test tests/Sustain.Web.Tests -c Release --filter "FullyQualifiedName~ResolutionTiming" --logger "console;verbosity=detailed"</c>.
/// </summary>
public sealed class ResolutionTiming(ITestOutputHelper output)
{
    private const int Packages = 10_000;

    [SkippableFact]
    public async Task Resolves_ten_thousand_packages_cold_and_cached()
    {
        Skip.If(Environment.GetEnvironmentVariable("SUSTAIN_TIMING") != "1", "a timing run: set SUSTAIN_TIMING=1");
        await using var ecosystems = await FakeEcosystems.StartAsync(TimeSpan.FromMilliseconds(20));
        // A few hundred monorepos, as in life: many packages share a project.
        ecosystems.Generator = (_, name) => $"https://github.com/owner-{name.GetHashCode(StringComparison.Ordinal) & 0x1ff}/repo-{name.Length % 7}";
        await using var app = new SustainAppFactory
        {
            Settings =
            {
                ["Ecosystems:BaseAddress"] = ecosystems.BaseAddress.ToString(),
                ["Jobs:Enabled"] = "false",
                ["Projects:EnrichmentEnabled"] = "false",
            },
        };
        var fixture = new ProjectsAppFixture(app, ecosystems);
        var components = Enumerable.Range(0, Packages).Select(i => new TestComponent($"pkg:npm/timing-package-{i}@1.0.{i % 10}", Direct: i % 10 == 0)).ToArray();
        var (first, _) = await fixture.OrganisationWithSbomAsync(components);
        var (second, _) = await fixture.OrganisationWithSbomAsync(components);
        // The uploads queued their own resolutions; the timed ones are "Resolve now".
        await fixture.QueryAsync(db => db.Jobs.ExecuteDeleteAsync());

        var cold = await TimeAsync("cold: every package asked (20 ms each, 8 at a time)", fixture, first.Id);
        var again = await TimeAsync("again: all cached, nothing changes", fixture, first.Id);
        var other = await TimeAsync("second organisation, same packages: all cached, all written", fixture, second.Id);

        Assert.StartsWith("Resolved 10,000 of 10,000 packages", cold.Message, StringComparison.Ordinal);
        Assert.Contains("0 registry requests, 10,000 cached", again.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing changed", again.Message, StringComparison.Ordinal);
        Assert.StartsWith("Resolved 10,000 of 10,000 packages", other.Message, StringComparison.Ordinal);
        Assert.True(cold.Elapsed < TimeSpan.FromSeconds(30), $"cold took {cold.Elapsed}");
        Assert.True(again.Elapsed < TimeSpan.FromSeconds(2), $"cached took {again.Elapsed}");
        output.WriteLine($"fake ecosyste.ms requests: {ecosystems.RequestCount:N0}, at most {ecosystems.MaxInFlight} at once");
    }

    private async Task<(TimeSpan Elapsed, string Message)> TimeAsync(string label, ProjectsAppFixture fixture, Guid organisationId)
    {
        var watch = Stopwatch.StartNew();
        await using (var scope = fixture.App.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<ProjectJobs>().ResolveNowAsync(organisationId);
        var jobs = await fixture.RunDueJobsAsync();
        watch.Stop();
        var job = Assert.Single(jobs, j => j.Kind == ProjectJobs.Resolve);
        Assert.Equal(JobState.Succeeded, job.State);
        output.WriteLine($"{label,-62} {watch.Elapsed.TotalSeconds,7:F2} s  {job.ProgressMessage}");
        return (watch.Elapsed, job.ProgressMessage ?? "");
    }
}
