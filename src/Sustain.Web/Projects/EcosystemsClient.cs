using System.Net;
using Polly;

namespace Sustain.Web.Projects;

public enum RegistryAnswerKind
{
    Found,
    NotFound,
    Failed,
}

/// <summary>What the registry said of one package: its JSON, that it does not know it, or why asking failed.</summary>
public sealed record RegistryAnswer(RegistryAnswerKind Kind, string? Json, string? Error)
{
    public static readonly RegistryAnswer NotFound = new(RegistryAnswerKind.NotFound, null, null);
}

/// <summary>
/// The ecosyste.ms packages API (<c>GET api/v1/registries/{registry}/packages/{name}</c>). Retries,
/// backoff, Retry-After and the concurrency bound live in the resilience pipeline set up in
/// <see cref="ProjectsSetup"/>; this class only turns a response into a <see cref="RegistryAnswer"/>.
/// </summary>
public sealed class EcosystemsClient(HttpClient http)
{
    /// <summary>
    /// The registries ecosyste.ms serves, as ecosystem → registry name (the default registry of each
    /// ecosystem, else its largest). Empty when the list cannot be had; callers then ask no registry.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> GetRegistriesAsync(CancellationToken cancellation)
    {
        try
        {
            using var response = await http.GetAsync("api/v1/registries?per_page=1000", cancellation);
            if (!response.IsSuccessStatusCode)
                return new Dictionary<string, string>();
            using var document = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellation));
            if (document.RootElement.ValueKind != System.Text.Json.JsonValueKind.Array)
                return new Dictionary<string, string>();
            var best = new Dictionary<string, (string Name, bool IsDefault, long Packages)>(StringComparer.Ordinal);
            foreach (var entry in document.RootElement.EnumerateArray())
            {
                if (entry.ValueKind != System.Text.Json.JsonValueKind.Object
                    || !entry.TryGetProperty("name", out var name) || name.ValueKind != System.Text.Json.JsonValueKind.String
                    || !entry.TryGetProperty("ecosystem", out var ecosystem) || ecosystem.ValueKind != System.Text.Json.JsonValueKind.String)
                    continue;
                var isDefault = entry.TryGetProperty("default", out var d) && d.ValueKind == System.Text.Json.JsonValueKind.True;
                var packages = entry.TryGetProperty("packages_count", out var c) && c.TryGetInt64(out var n) ? n : 0;
                var candidate = (name.GetString()!, isDefault, packages);
                if (!best.TryGetValue(ecosystem.GetString()!, out var current) || (candidate.isDefault, candidate.packages).CompareTo((current.IsDefault, current.Packages)) > 0)
                    best[ecosystem.GetString()!] = candidate;
            }

            return best.ToDictionary(b => b.Key, b => b.Value.Name, StringComparer.Ordinal);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            return new Dictionary<string, string>();
        }
    }

    public async Task<RegistryAnswer> GetPackageAsync(string registry, string name, CancellationToken cancellation)
    {
        var path = $"api/v1/registries/{Uri.EscapeDataString(registry)}/packages/{Uri.EscapeDataString(name)}";
        try
        {
            using var response = await http.GetAsync(path, HttpCompletionOption.ResponseContentRead, cancellation);
            if (response.StatusCode == HttpStatusCode.NotFound)
                return RegistryAnswer.NotFound;
            if (!response.IsSuccessStatusCode)
                return new RegistryAnswer(RegistryAnswerKind.Failed, null, $"ecosyste.ms answered {(int)response.StatusCode} {response.ReasonPhrase}");
            var json = await response.Content.ReadAsStringAsync(cancellation);
            // Only a glance here; the resolver parses it once, and treats a body that does not parse as a failure.
            return json.AsSpan().TrimStart().StartsWith("{", StringComparison.Ordinal)
                ? new RegistryAnswer(RegistryAnswerKind.Found, json, null)
                : new RegistryAnswer(RegistryAnswerKind.Failed, null, "ecosyste.ms answered with something that is not a JSON object");
        }
        catch (HttpRequestException e)
        {
            return new RegistryAnswer(RegistryAnswerKind.Failed, null, $"ecosyste.ms could not be reached: {e.Message}");
        }
        catch (ExecutionRejectedException e)
        {
            // A timeout, an open circuit or a full queue: the registry is struggling, so ask again next run.
            return new RegistryAnswer(RegistryAnswerKind.Failed, null, $"ecosyste.ms did not answer in time ({e.GetType().Name})");
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            return new RegistryAnswer(RegistryAnswerKind.Failed, null, "ecosyste.ms did not answer in time");
        }
    }
}
