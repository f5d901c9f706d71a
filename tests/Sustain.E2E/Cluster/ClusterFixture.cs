using Microsoft.Playwright;
using Sustain.Testing.Fakes.GitHub;
using Sustain.Web.Tests.Infrastructure;

namespace Sustain.E2E.Cluster;

/// <summary>
/// Sustain as docs/deployment.md describes it beyond one machine: a PostgreSQL database, two app
/// instances on loopback ports, nginx in front of them, and Chromium talking only to nginx. The
/// first instance migrates and seeds; the second starts on the same database afterwards. Both sign
/// maintainers in against one fake GitHub, move escrow to maintainers every second, and take over a
/// stopped instance's jobs after a short lease.
/// Needs PostgreSQL (<c>SUSTAIN_TEST_POSTGRES</c>, as the web tests), nginx and Chromium; without
/// them <see cref="MissingReason"/> says what is missing and the tests skip.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    /// <summary>The operator of the installation (the one who may press "Run now" on the payouts page).</summary>
    public const string OperatorEmail = "cluster-operator@example.com";

    private readonly List<SustainServer> _instances = [];
    private TestDatabase? _database;
    private IPlaywright? _playwright;

    public static string? MissingReason =>
        !BrowserFixture.ChromiumAvailable ? "Debian's chromium is not installed at /usr/bin/chromium."
        : !NginxProxy.Available ? "Debian's nginx is not installed at /usr/sbin/nginx."
        : string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(TestDatabase.PostgresVariable)) ? $"{TestDatabase.PostgresVariable} names no PostgreSQL server."
        : null;

    public IReadOnlyList<SustainServer> Instances => _instances;

    public NginxProxy Proxy { get; private set; } = default!;

    public IBrowser Browser { get; private set; } = default!;

    public FakeGitHub GitHub { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        if (MissingReason is not null)
            return;
        // A shared, loaded machine can take more than Playwright's default 5 s to answer over a circuit.
        Assertions.SetDefaultExpectTimeout(20_000);
        _database = TestDatabase.Create();
        GitHub = await FakeGitHub.StartAsync();
        var shared = new Dictionary<string, string>(GitHub.SustainSettings)
        {
            ["Database:Provider"] = _database.Provider,
            ["Database:ConnectionString"] = _database.ConnectionString,
            ["ASPNETCORE_FORWARDEDHEADERS_ENABLED"] = "true",
            ["Operators:Emails"] = OperatorEmail,
            ["Payouts:DistributeEvery"] = "00:00:01",
            ["Payouts:MinimumAmount"] = "1",
            ["Jobs:PollInterval"] = "00:00:00.250",
            ["Jobs:Concurrency"] = "6",
            // A killed instance's claims lapse after this, so the survivor takes its jobs over within the test.
            ["Jobs:LeaseDuration"] = "00:00:09",
        };
        _instances.Add(await SustainServer.StartAsync(shared));
        _instances.Add(await SustainServer.StartAsync(new Dictionary<string, string>(shared)
        {
            ["Database:MigrateOnStartup"] = "false",
            ["Demo:Seed"] = "false",
        }));
        Proxy = await NginxProxy.StartAsync([.. _instances.Select(i => i.Address)]);
        _playwright = await Playwright.CreateAsync();
        Browser = await BrowserFixture.LaunchChromiumAsync(_playwright);
    }

    public Task<IPage> NewPageAsync(bool dark = false) => BrowserFixture.NewPageAsync(Browser, Proxy.Address, dark);

    /// <summary>The instance that served a response, from the <c>X-Upstream</c> header nginx adds (the last one it tried).</summary>
    public SustainServer ServedBy(IResponse response)
    {
        var upstream = response.Headers.TryGetValue("x-upstream", out var value) ? value.Split(',')[^1].Trim() : null;
        return _instances.SingleOrDefault(i => $"{i.Address.Host}:{i.Address.Port}" == upstream)
            ?? throw new InvalidOperationException($"No instance answers at \"{upstream}\".");
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
            await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (Proxy is not null)
            await Proxy.DisposeAsync();
        foreach (var instance in _instances)
            await instance.DisposeAsync();
        if (GitHub is not null)
            await GitHub.DisposeAsync();
        if (_database is not null)
            await _database.DisposeAsync();
    }
}
