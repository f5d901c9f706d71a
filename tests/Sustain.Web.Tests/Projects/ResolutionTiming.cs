using System.Diagnostics;
using Sustain.Web.Tests.Fakes;
using Sustain.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Sustain.Web.Tests.Projects;

/// <summary>
/// Times resolving a 10,000-package organisation against the fake ecosyste.ms answering in 20 ms:
/// cold (every package asked), again (all cached, nothing to change) and for a second organisation
/// with the same packages (cached, everything to write). Prints the figures; it asserts only that
/// every package was resolved, not how fast. Run it with
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
        await using var app = new SustainAppFactory { Settings = { ["Ecosystems:BaseAddress"] = ecosystems.BaseAddress.ToString() } };
        var fixture = new ProjectsAppFixture(app, ecosystems);
        var components = Enumerable.Range(0, Packages).Select(i => new TestComponent($"pkg:npm/timing-package-{i}@1.0.{i % 10}", Direct: i % 10 == 0)).ToArray();
        var (first, _) = await fixture.OrganisationWithSbomAsync(components);
        var (second, _) = await fixture.OrganisationWithSbomAsync(components);

        var cold = await TimeAsync("cold: every package asked (20 ms each, 8 at a time)", () => fixture.ResolveAsync(first.Id));
        var again = await TimeAsync("again: all cached, nothing changes", () => fixture.ResolveAsync(first.Id));
        var other = await TimeAsync("second organisation, same packages: all cached, all written", () => fixture.ResolveAsync(second.Id));

        Assert.Equal(Packages, cold.FromRegistry);
        Assert.Equal((0, Packages), (again.RegistryRequests, again.CacheHits));
        Assert.False(again.ChangedAnything);
        Assert.Equal(Packages, other.FromRegistry);
        output.WriteLine($"fake ecosyste.ms requests: {ecosystems.RequestCount:N0}, at most {ecosystems.MaxInFlight} at once");
    }

    private async Task<Sustain.Web.Projects.ResolutionReport> TimeAsync(string label, Func<Task<Sustain.Web.Projects.ResolutionReport>> run)
    {
        var watch = Stopwatch.StartNew();
        var report = await run();
        output.WriteLine($"{label,-62} {watch.Elapsed.TotalSeconds,7:F2} s  ({report.RegistryRequests:N0} requests, {report.CacheHits:N0} cache hits, {report.Added + report.Changed + report.Removed:N0} changes)");
        return report;
    }
}
