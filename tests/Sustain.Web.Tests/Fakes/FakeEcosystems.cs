using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sustain.Testing.Fakes;

namespace Sustain.Web.Tests.Fakes;

/// <summary>
/// The ecosyste.ms packages API on 127.0.0.1: <c>GET /api/v1/registries/{registry}/packages/{name}</c>
/// answering in the shape packages.ecosyste.ms sends (its OpenAPI <c>Package</c> schema), with
/// configurable latency, 404s for unknown packages, 429s with Retry-After, 500s, and a count of the
/// requests it got.
/// </summary>
public sealed class FakeEcosystems : IAsyncDisposable
{
    private const string Prefix = "/api/v1/registries/";

    /// <summary>The registries the fake lists at <c>GET /api/v1/registries</c>: made-up names, one per ecosystem, plus a smaller non-default one to be passed over.</summary>
    public static readonly (string Name, string Ecosystem, bool IsDefault)[] Registries =
    [
        ("npm-main", "npm", true), ("npm-mirror", "npm", false), ("pypi-main", "pypi", true), ("maven-main", "maven", true),
        ("nuget-main", "nuget", true), ("cargo-main", "cargo", true), ("rubygems-main", "rubygems", true), ("go-main", "go", true),
    ];

    /// <summary>The registry the fake lists for npm packages.</summary>
    public const string Npm = "npm-main";

    private WebApplication _app = default!;
    private readonly ConcurrentDictionary<(string Registry, string Name), string> _packages = new();
    private readonly ConcurrentDictionary<(string Registry, string Name), Queue<(int Status, int RetryAfter)>> _faults = new();
    private readonly ConcurrentQueue<Request> _requests = new();
    private int _registryListRequests;
    private int _inFlight;
    private int _maxInFlight;

    private FakeEcosystems()
    {
    }

    public sealed record Request(string Registry, string Name, DateTimeOffset At, string? UserAgent);

    public Uri BaseAddress { get; private set; } = default!;

    /// <summary>How long every answer takes.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Answers packages not added one by one: a repository URL, or null for a 404. For large runs.</summary>
    public Func<string, string, string?>? Generator { get; set; }

    public IReadOnlyList<Request> Requests => _requests.ToList();

    public int RequestCount => _requests.Count;

    /// <summary>How often the registry list was asked for.</summary>
    public int RegistryListRequests => Volatile.Read(ref _registryListRequests);

    /// <summary>The most requests that were being answered at the same moment.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public static async Task<FakeEcosystems> StartAsync(TimeSpan latency = default)
    {
        var fake = new FakeEcosystems { Latency = latency };
        (fake._app, fake.BaseAddress) = await LoopbackServer.StartAsync(app => app.Run(fake.AnswerAsync));
        return fake;
    }

    /// <summary>A package the registry knows, with the repository URL it gives (null: none).</summary>
    public void Add(string registry, string name, string? repositoryUrl, string? homepage = null, string[]? fundingLinks = null, int dependentPackages = 12, int dependentRepos = 340) =>
        _packages[(registry, name)] = PackageJson(registry, name, repositoryUrl, homepage, fundingLinks ?? [], dependentPackages, dependentRepos);

    /// <summary>The next <paramref name="times"/> requests for the package get 429 with <c>Retry-After: seconds</c>.</summary>
    public void Throttle(string registry, string name, int times, int retryAfterSeconds) => Enqueue(registry, name, times, 429, retryAfterSeconds);

    /// <summary>The next <paramref name="times"/> requests for the package get 500.</summary>
    public void Fail(string registry, string name, int times) => Enqueue(registry, name, times, 500, 0);

    public int RequestsFor(string registry, string name) => _requests.Count(r => r.Registry == registry && r.Name == name);

    private void Enqueue(string registry, string name, int times, int status, int retryAfter)
    {
        var queue = _faults.GetOrAdd((registry, name), _ => new Queue<(int, int)>());
        lock (queue)
        {
            for (var i = 0; i < times; i++)
                queue.Enqueue((status, retryAfter));
        }
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        if (path.TrimEnd('/') == "/api/v1/registries" && context.Request.Method == "GET")
        {
            Interlocked.Increment(ref _registryListRequests);
            // The shape of the registry list: name, url, ecosystem, default, packages_count, and more.
            await context.Response.WriteAsJsonAsync(Registries.Select(r => new Dictionary<string, object?>
            {
                ["name"] = r.Name,
                ["url"] = $"https://{r.Name}.example",
                ["ecosystem"] = r.Ecosystem,
                ["default"] = r.IsDefault,
                ["packages_count"] = r.IsDefault ? 1_000_000 : 5_000,
                ["maintainers_count"] = 1000,
            }));
            return;
        }

        var marker = path.IndexOf("/packages/", StringComparison.Ordinal);
        if (!path.StartsWith(Prefix, StringComparison.Ordinal) || marker < 0 || context.Request.Method != "GET")
        {
            context.Response.StatusCode = 404;
            return;
        }

        var registry = Uri.UnescapeDataString(path[Prefix.Length..marker]);
        var name = Uri.UnescapeDataString(path[(marker + "/packages/".Length)..]);
        _requests.Enqueue(new Request(registry, name, DateTimeOffset.UtcNow, context.Request.Headers.UserAgent.ToString()));
        var now = Interlocked.Increment(ref _inFlight);
        for (var max = Volatile.Read(ref _maxInFlight); now > max && Interlocked.CompareExchange(ref _maxInFlight, now, max) != max; max = Volatile.Read(ref _maxInFlight))
        {
        }

        try
        {
            if (Latency > TimeSpan.Zero)
                await Task.Delay(Latency, context.RequestAborted);

            if (_faults.TryGetValue((registry, name), out var queue))
            {
                (int Status, int RetryAfter)? fault = null;
                lock (queue)
                {
                    if (queue.Count > 0)
                        fault = queue.Dequeue();
                }

                if (fault is { } f)
                {
                    context.Response.StatusCode = f.Status;
                    if (f.Status == 429)
                        context.Response.Headers.RetryAfter = f.RetryAfter.ToString(CultureInfo.InvariantCulture);
                    await context.Response.WriteAsJsonAsync(new { error = f.Status == 429 ? "Too Many Requests" : "Internal Server Error" });
                    return;
                }
            }

            if (!_packages.TryGetValue((registry, name), out var json) && Generator is { } generate)
            {
                var repository = generate(registry, name);
                json = repository is null ? null : PackageJson(registry, name, repository, null, [], 3, 40);
            }

            if (json is null)
            {
                context.Response.StatusCode = 404;
                await context.Response.WriteAsJsonAsync(new { error = "Not Found" });
                return;
            }

            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(json);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <summary>A package answer with the fields of the ecosyste.ms <c>Package</c> schema (trimmed nested objects).</summary>
    private static string PackageJson(string registry, string name, string? repositoryUrl, string? homepage, string[] fundingLinks, int dependentPackages, int dependentRepos)
    {
        var slash = name.LastIndexOf('/');
        var body = new Dictionary<string, object?>
        {
            ["id"] = Math.Abs(StringComparer.Ordinal.GetHashCode(registry + name)),
            ["name"] = name,
            ["ecosystem"] = Registries.FirstOrDefault(r => r.Name == registry).Ecosystem ?? registry,
            ["description"] = $"The {name} package",
            ["homepage"] = homepage ?? repositoryUrl,
            ["licenses"] = "MIT",
            ["normalized_licenses"] = new[] { "MIT" },
            ["repository_url"] = repositoryUrl,
            ["keywords_array"] = Array.Empty<string>(),
            ["namespace"] = slash > 0 ? name[..slash] : null,
            ["versions_count"] = 42,
            ["first_release_published_at"] = "2017-03-01T10:00:00.000Z",
            ["latest_release_published_at"] = "2025-11-20T08:30:00.000Z",
            ["latest_release_number"] = "7.26.0",
            ["last_synced_at"] = "2026-01-10T00:00:00.000Z",
            ["created_at"] = "2022-01-01T00:00:00.000Z",
            ["updated_at"] = "2026-01-10T00:00:00.000Z",
            ["registry_url"] = $"https://{registry}/package/{name}",
            ["install_command"] = null,
            ["documentation_url"] = null,
            ["metadata"] = new Dictionary<string, object?> { ["funding"] = fundingLinks.Length == 0 ? null : fundingLinks[0] },
            ["repo_metadata"] = repositoryUrl is null ? null : new Dictionary<string, object?> { ["full_name"] = repositoryUrl.Replace("https://github.com/", "", StringComparison.Ordinal), ["archived"] = false, ["stargazers_count"] = 1000 },
            ["repo_metadata_updated_at"] = "2026-01-09T00:00:00.000Z",
            ["dependent_packages_count"] = dependentPackages,
            ["downloads"] = 123456,
            ["downloads_period"] = "last-month",
            ["dependent_repos_count"] = dependentRepos,
            ["rankings"] = new Dictionary<string, object?> { ["average"] = 1.5 },
            ["purl"] = $"pkg:{registry}/{name}",
            ["advisories"] = Array.Empty<object>(),
            ["versions_url"] = $"https://packages.ecosyste.ms/api/v1/registries/{registry}/packages/{name}/versions",
            ["dependent_packages_url"] = $"https://packages.ecosyste.ms/api/v1/registries/{registry}/packages/{name}/dependent_packages",
            ["related_packages_url"] = $"https://packages.ecosyste.ms/api/v1/registries/{registry}/packages/{name}/related_packages",
            ["status"] = null,
            ["funding_links"] = fundingLinks,
            ["maintainers"] = Array.Empty<object>(),
            ["critical"] = false,
        };
        return JsonSerializer.Serialize(body);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
