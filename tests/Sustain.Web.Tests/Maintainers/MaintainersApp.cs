using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Mvc.Testing;
using Sustain.Testing.Fakes.GitHub;
using Sustain.Web.Tests.Infrastructure;

namespace Sustain.Web.Tests.Maintainers;

/// <summary>The app with "Sign in with GitHub" and its API client pointed at a fake GitHub on a loopback port, and one operator.</summary>
public sealed class MaintainersApp : IAsyncLifetime
{
    public const string OperatorEmail = "claims-operator@example.test";

    private readonly Lock _operatorGate = new();
    private Task<Sustain.Data.Identity.SustainUser>? _operatorCreated;

    public FakeGitHub GitHub { get; private set; } = default!;

    public SustainAppFactory App { get; private set; } = default!;

    /// <summary>Overrides <c>Maintainers:CheckInterval</c>; zero (no wait between checks) unless a test class needs the limit.</summary>
    public TimeSpan CheckInterval { get; init; } = TimeSpan.Zero;

    public async Task InitializeAsync()
    {
        GitHub = await FakeGitHub.StartAsync();
        App = new SustainAppFactory();
        foreach (var (key, value) in GitHub.SustainSettings)
            App.Settings[key] = value;
        App.Settings["Operators:Emails"] = OperatorEmail;
        App.Settings["Jobs:Enabled"] = "false";
        App.Settings["Maintainers:CheckInterval"] = CheckInterval.ToString("c");
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await GitHub.DisposeAsync();
    }

    /// <summary>A browser signed in (with a password) as the one operator, created on first use.</summary>
    public async Task<HttpClient> OperatorBrowserAsync()
    {
        lock (_operatorGate)
            _operatorCreated ??= App.CreateUserAsync(OperatorEmail, "Claims Operator");
        await _operatorCreated;

        var browser = App.CreateBrowser();
        using var response = await Forms.SubmitAsync(browser, "/account/login", new Dictionary<string, string> { ["Input.Email"] = OperatorEmail, ["Input.Password"] = SustainAppFactory.Password });
        await response.AssertStatusAsync(HttpStatusCode.Redirect);
        return browser;
    }

    /// <summary>A new GitHub user (with a public email, or <paramref name="email"/>).</summary>
    public FakeGitHubUser NewGitHubUser(string? email = null)
    {
        var login = $"gh-{Guid.NewGuid():N}"[..15];
        return GitHub.AddUser(login, name: $"Maintainer {login}", email: email ?? $"{login}@example.test");
    }

    /// <summary>A fresh organisation-owned repository name, so tests sharing the fixture never meet.</summary>
    public static (string Owner, string Name) NewRepositoryName() => ($"org-{Guid.NewGuid():N}"[..12], $"repo-{Guid.NewGuid():N}"[..13]);

    /// <summary>
    /// A browser signed in as <paramref name="user"/> through "Sign in with GitHub", each redirect followed by hand: to
    /// the app through the cookie-keeping client, to the fake GitHub over real HTTP. On https, as the OAuth cookies are Secure.
    /// </summary>
    public async Task<HttpClient> SignInWithGitHubAsync(FakeGitHubUser user)
    {
        GitHub.SignInAs(user);
        var browser = App.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false, HandleCookies = true });
        using var github = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var next = new Uri("/account/login/github?returnUrl=%2Fmaintainers", UriKind.Relative);
        for (var hop = 0; hop < 10; hop++)
        {
            var toGitHub = next.IsAbsoluteUri && next.Authority == GitHub.Address.Authority;
            using var response = await (toGitHub ? github : browser).GetAsync(next.IsAbsoluteUri && !toGitHub ? new Uri(next.PathAndQuery, UriKind.Relative) : next);
            if (response.StatusCode is not (HttpStatusCode.Redirect or HttpStatusCode.Found))
            {
                await response.AssertStatusAsync(HttpStatusCode.OK);
                return browser;
            }

            next = response.Headers.Location!;
        }

        throw new InvalidOperationException("Signing in with the fake GitHub took more than ten redirects.");
    }

    public static async Task<IHtmlDocument> PageAsync(HttpClient browser, string url)
    {
        using var response = await browser.GetAsync(new Uri(url, UriKind.Relative));
        await response.AssertStatusAsync(HttpStatusCode.OK);
        return Forms.Parse(await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Submits the form named <paramref name="formName"/> (Blazor's <c>_handler</c>) on <paramref name="url"/> as a browser
    /// would: its hidden fields (the antiforgery token among them), then <paramref name="fields"/>, and the button's name and value.
    /// </summary>
    public static async Task<HttpResponseMessage> SubmitAsync(HttpClient browser, string url, string formName, IReadOnlyDictionary<string, string>? fields = null)
    {
        var page = await PageAsync(browser, url);
        var form = page.Forms.SingleOrDefault(f => f.QuerySelector($"input[name=_handler][value='{formName}']") is not null)
            ?? throw new InvalidOperationException($"{url} has no form '{formName}'; it has: {string.Join(", ", page.QuerySelectorAll("input[name=_handler]").OfType<IHtmlInputElement>().Select(i => i.Value))}");
        var values = form.QuerySelectorAll("input").OfType<IHtmlInputElement>()
            .Where(i => !string.IsNullOrEmpty(i.Name))
            .ToDictionary(i => i.Name!, i => i.Value);
        foreach (var (name, value) in fields ?? new Dictionary<string, string>())
            values[name] = value;
        using var content = new FormUrlEncodedContent(values);
        return await browser.PostAsync(new Uri(url, UriKind.Relative), content);
    }

    /// <summary>The page a successful action redirects to, read; fails on anything but a redirect.</summary>
    public static async Task<IHtmlDocument> FollowAsync(HttpClient browser, HttpResponseMessage response)
    {
        if (response.StatusCode != HttpStatusCode.Redirect)
            Assert.Fail($"Expected a redirect, got {(int)response.StatusCode}: {Forms.Parse(await response.Content.ReadAsStringAsync()).QuerySelector("[data-testid=maintainers-error],[data-testid=claim-error],[data-testid=queue-error]")?.TextContent}");
        return await PageAsync(browser, LocationOf(response));
    }

    /// <summary>Where a redirect points, as a path and query (Blazor redirects to absolute URLs).</summary>
    public static string LocationOf(HttpResponseMessage response) =>
        response.Headers.Location is { IsAbsoluteUri: true } absolute ? absolute.PathAndQuery : response.Headers.Location!.OriginalString;

    /// <summary>The error a refused action shows, from a 400 answer.</summary>
    public static async Task<string> RefusalAsync(HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"Expected 400, got {(int)response.StatusCode}");
        var error = Forms.Parse(html).QuerySelector("[data-testid=maintainers-error],[data-testid=claim-error],[data-testid=queue-error]");
        Assert.NotNull(error);
        return error.TextContent.Trim();
    }

    public static string ProjectUrl(string owner, string name) => $"/maintainers/projects/github.com/{owner}/{name}".ToLowerInvariant();
}
