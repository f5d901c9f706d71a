using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Sustain.Data;
using Sustain.Data.Organisations;

namespace Sustain.Benchmarks;

/// <summary>
/// <c>web-timing</c>: starts the web app (Release, Kestrel on a free port, a fresh SQLite file),
/// uploads synthetic SBOMs through the API and times the requests a user waits on: an upload of
/// 10,000 components and the dependency view's pages over 50,000. A health check in the same run
/// is the baseline for what any request costs. Times are wall-clock on the client, so they bound
/// the server's time from above.
/// </summary>
internal static class WebTiming
{
    private const string Org = "timing";

    public static async Task<int> RunAsync(TextWriter output)
    {
        var directory = Directory.CreateTempSubdirectory("sustain-web-timing-").FullName;
        var database = Path.Combine(directory, "sustain.db");
        using var server = Start(database, output);
        try
        {
            var address = await ListeningAddressAsync(server);
            var token = await SeedAsync(database);
            using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(5) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            await RunScenariosAsync(client, output);
            return 0;
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task RunScenariosAsync(HttpClient client, TextWriter output)
    {
        output.WriteLine($"{"request",-58} {"first",9} {"median",9} {"runs",5}");
        await TimeAsync(output, "GET /healthz (baseline)", 20, () => client.GetAsync("/healthz"));

        var ten = new SyntheticSbom(10_000);
        var tenA = ten.CycloneDxJson();
        var tenB = new SyntheticSbom(10_000, seed: 7).CycloneDxJson();
        var tenC = new SyntheticSbom(10_000, seed: 11).CycloneDxJson();
        var uploads = new Queue<byte[]>([tenA, tenB, tenC]);
        var product = 0;
        await TimeAsync(output, "POST sboms, 10,000 components (CycloneDX JSON, new product)", 3, () => Upload(client, $"ten-{product++}", uploads.Dequeue()));
        var xml = new SyntheticSbom(10_000, seed: 5).CycloneDxXml();
        await TimeAsync(output, "POST sboms, 10,000 components (CycloneDX XML)", 1, () => Upload(client, "ten-xml", xml, "application/xml"));

        var fifty = new SyntheticSbom(50_000).CycloneDxJson();
        await TimeAsync(output, "POST sboms, 50,000 components (CycloneDX JSON)", 1, () => Upload(client, "fifty", fifty));

        const string components = $"/api/v1/orgs/{Org}/components";
        await TimeAsync(output, "GET components, 50k product, first page by name", 20, () => client.GetAsync($"{components}?product=fifty&pageSize=50"));
        await TimeAsync(output, "GET components, 50k product, page 500 by name", 10, () => client.GetAsync($"{components}?product=fifty&pageSize=50&page=500"));
        await TimeAsync(output, "GET components, 50k product, by depth descending", 10, () => client.GetAsync($"{components}?product=fifty&sort=-depth"));
        await TimeAsync(output, "GET components, 50k product, by licence", 10, () => client.GetAsync($"{components}?product=fifty&sort=license"));
        await TimeAsync(output, "GET components, 50k product, search 'package-4999'", 10, () => client.GetAsync($"{components}?product=fifty&q=package-4999"));
        await TimeAsync(output, "GET components, 50k product, maven, transitive", 10, () => client.GetAsync($"{components}?product=fifty&ecosystem=maven&scope=transitive"));
        await TimeAsync(output, "GET components, whole organisation (90k), first page", 10, () => client.GetAsync($"{components}?pageSize=50"));
        await TimeAsync(output, "GET path of component 49,999 in the 50k product", 10, () => client.GetAsync($"/api/v1/orgs/{Org}/products/fifty/components/49999/path"));

        var list = await client.GetFromJsonAsync($"/api/v1/orgs/{Org}/products/ten-0/sboms");
        var id = list.EnumerateArray().First().GetProperty("id").GetString();
        await Upload(client, "ten-0", tenB);
        var newer = (await client.GetFromJsonAsync($"/api/v1/orgs/{Org}/products/ten-0/sboms")).EnumerateArray().First().GetProperty("id").GetString();
        await TimeAsync(output, "GET diff of two 10,000-component uploads", 5, () => client.GetAsync($"/api/v1/orgs/{Org}/products/ten-0/diff?from={id}&to={newer}"));
    }

    private static async Task<HttpResponseMessage> Upload(HttpClient client, string product, byte[] document, string mediaType = "application/json")
    {
        var content = new ByteArrayContent(document);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return await client.PostAsync($"/api/v1/orgs/{Org}/products/{product}/sboms", content);
    }

    private static async Task<JsonElement> GetFromJsonAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static async Task TimeAsync(TextWriter output, string name, int runs, Func<Task<HttpResponseMessage>> request)
    {
        var times = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await request();
            await response.Content.ReadAsByteArrayAsync();
            watch.Stop();
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"{name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        var sorted = times.Order().ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-58} {times[0],7:F1}ms {sorted[sorted.Count / 2],7:F1}ms {runs,5}"));
    }

    private static Process Start(string database, TextWriter output)
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Sustain.sln")))
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Run web-timing from inside the repository.");
        var start = new ProcessStartInfo("dotnet", ["run", "--project", Path.Combine(root, "src", "Sustain.Web"), "-c", "Release", "--no-launch-profile", "--urls", "http://127.0.0.1:0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(database)!,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Database__ConnectionString"] = $"Data Source={database}";
        start.Environment["Demo__Seed"] = "false";
        start.Environment["RateLimits__ApiRequestsPerMinute"] = "1000000";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        output.WriteLine($"starting the web app (Release) on a temporary SQLite file: {database}");
        return Process.Start(start) ?? throw new InvalidOperationException("Could not start the web app.");
    }

    private static async Task<Uri> ListeningAddressAsync(Process server)
    {
        const string marker = "Now listening on: ";
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        while (await server.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            var at = line.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                // Keep reading what the app writes, so a full pipe never stalls it.
                _ = server.StandardOutput.ReadToEndAsync(CancellationToken.None);
                _ = server.StandardError.ReadToEndAsync(CancellationToken.None);
                return new Uri(line[(at + marker.Length)..].Trim());
            }
        }

        throw new InvalidOperationException("The web app exited before listening: " + await server.StandardError.ReadToEndAsync());
    }

    /// <summary>An organisation and a read-write token, written straight into the database the app migrated.</summary>
    private static async Task<string> SeedAsync(string database)
    {
        var options = new DbContextOptionsBuilder<SustainDbContext>();
        options.UseSustainDatabase(DatabaseProvider.Sqlite, $"Data Source={database}");
        await using var db = new SustainDbContext(options.Options);
        var organisation = new Organisation { Slug = Org, Name = "Timing" };
        var secret = "sus_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        db.Organisations.Add(organisation);
        db.ApiTokens.Add(new ApiToken
        {
            OrganisationId = organisation.Id, Name = "timing", Prefix = secret[..12],
            Hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret))),
            Scopes = ApiTokenScopes.SbomsRead | ApiTokenScopes.SbomsWrite, CreatedByUserId = "timing",
        });
        await db.SaveChangesAsync();
        return secret;
    }
}
