using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Sustain.Testing.Fakes.GitHub;
using Sustain.Web.Identity;
using Sustain.Web.Tests.Infrastructure;

namespace Sustain.Web.Tests.Identity;

/// <summary>The app, configured for "Sign in with GitHub" against a fake GitHub on a loopback port.</summary>
public sealed class GitHubSignInFixture : IAsyncLifetime
{
    public FakeGitHub GitHub { get; private set; } = default!;

    public SustainAppFactory App { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        GitHub = await FakeGitHub.StartAsync();
        App = new SustainAppFactory();
        foreach (var (key, value) in GitHub.SustainSettings)
            App.Settings[key] = value;
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await GitHub.DisposeAsync();
    }
}

public sealed class GitHubSignInTests(GitHubSignInFixture fixture) : IClassFixture<GitHubSignInFixture>
{
    private FakeGitHub GitHub => fixture.GitHub;

    private SustainAppFactory App => fixture.App;

    [Fact]
    public async Task The_login_page_offers_GitHub_when_it_is_configured()
    {
        using var browser = Browser();

        var html = await browser.GetStringAsync(new Uri("/account/login?returnUrl=%2Fapp%2Facme", UriKind.Relative));

        var button = Forms.Parse(html).QuerySelector("a[href^='/account/login/github']");
        Assert.NotNull(button);
        Assert.Equal("Sign in with GitHub", button.TextContent.Trim());
        Assert.Equal("/account/login/github?returnUrl=%2Fapp%2Facme", button.GetAttribute("href"));
    }

    [Fact]
    public async Task Without_a_client_id_and_secret_there_is_no_GitHub_button_and_no_challenge()
    {
        await using var plain = new SustainAppFactory();
        using var browser = plain.CreateBrowser();

        var html = await browser.GetStringAsync(new Uri("/account/login", UriKind.Relative));
        using var challenge = await browser.GetAsync(new Uri("/account/login/github", UriKind.Relative));

        Assert.Contains("Sign in", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Sign in with GitHub", html, StringComparison.Ordinal);
        Assert.Null(Forms.Parse(html).QuerySelector("a[href^='/account/login/github']"));
        Assert.Contains("GitHub:ClientId", await challenge.ProblemAsync(HttpStatusCode.NotFound), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signing_in_with_GitHub_creates_a_user_with_the_GitHub_login_and_lands_at_the_return_url()
    {
        var octocat = NewGitHubUser("The Octocat", hasPublicEmail: true);
        using var browser = Browser();

        var journey = await SignInWithGitHubAsync(browser, "/app?from=github");

        Assert.Equal(
            ["/account/login/github", FakeGitHub.AuthorizePath, "/signin-github", "/account/external-callback", "/app"],
            journey.Hops.Select(h => h.Path));
        Assert.Equal("/app?from=github", journey.Hops[^1].PathAndQuery);
        Assert.NotNull(journey.IdentityCookie);
        var user = await App.QueryAsync(db => db.Users.SingleAsync(u => u.GitHubLogin == octocat.Login));
        Assert.Equal(octocat.Email, user.Email);
        Assert.Equal("The Octocat", user.DisplayName);
        var login = await App.QueryAsync(db => db.UserLogins.SingleAsync(l => l.UserId == user.Id));
        Assert.Equal((IdentitySetup.GitHubScheme, octocat.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), (login.LoginProvider, login.ProviderKey));

        Assert.Equal(HttpStatusCode.OK, journey.Final.StatusCode);
        var dashboard = await journey.Final.Content.ReadAsStringAsync();
        Assert.Contains("Your organisations", dashboard, StringComparison.Ordinal);
        Assert.Contains(octocat.Email!, dashboard, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_GitHub_user_without_a_public_email_gets_a_noreply_address()
    {
        var hidden = NewGitHubUser(name: null, hasPublicEmail: false);
        using var browser = Browser();

        var journey = await SignInWithGitHubAsync(browser, "/app");

        Assert.Equal(HttpStatusCode.OK, journey.Final.StatusCode);
        var user = await App.QueryAsync(db => db.Users.SingleAsync(u => u.GitHubLogin == hidden.Login));
        Assert.Equal($"{hidden.Login}@users.noreply.github.invalid", user.Email);
        Assert.Equal(hidden.Login, user.DisplayName);
    }

    [Fact]
    public async Task Signing_in_again_with_GitHub_reuses_the_same_user()
    {
        var octocat = NewGitHubUser("Repeat Visitor", hasPublicEmail: true);
        using (var first = Browser())
            await SignInWithGitHubAsync(first, "/app");
        using var second = Browser();

        var journey = await SignInWithGitHubAsync(second, "/app");

        Assert.Equal(HttpStatusCode.OK, journey.Final.StatusCode);
        Assert.NotNull(journey.IdentityCookie);
        Assert.Equal(1, await App.QueryAsync(db => db.Users.CountAsync(u => u.GitHubLogin == octocat.Login || u.Email == octocat.Email)));
        Assert.Equal(1, await App.QueryAsync(db => db.UserLogins.CountAsync(l => l.LoginProvider == IdentitySetup.GitHubScheme && l.ProviderKey == octocat.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))));
    }

    [Fact]
    public async Task A_GitHub_email_matching_a_local_account_links_GitHub_to_that_account()
    {
        var local = await App.CreateUserAsync(displayName: "Local Lin");
        var octocat = GitHub.AddUser(UniqueLogin(), name: "Lin on GitHub", email: local.Email);
        GitHub.SignInAs(octocat);
        using var browser = Browser();

        var journey = await SignInWithGitHubAsync(browser, "/app");

        Assert.Equal(HttpStatusCode.OK, journey.Final.StatusCode);
        var user = await App.QueryAsync(db => db.Users.SingleAsync(u => u.Email == local.Email));
        Assert.Equal(local.Id, user.Id);
        Assert.Equal(octocat.Login, user.GitHubLogin);
        Assert.Equal("Local Lin", user.DisplayName);
        Assert.True(await App.QueryAsync(db => db.UserLogins.AnyAsync(l => l.UserId == local.Id && l.LoginProvider == IdentitySetup.GitHubScheme)));
    }

    [Fact]
    public async Task The_app_exchanges_the_code_and_reads_the_profile_with_the_token_it_was_given()
    {
        var octocat = NewGitHubUser("Token Watcher", hasPublicEmail: true);
        var before = GitHub.Requests.Count;
        using var browser = Browser();

        await SignInWithGitHubAsync(browser, "/app");

        var requests = GitHub.Requests.Skip(before).ToList();
        var authorize = Assert.Single(requests, r => r.Path == FakeGitHub.AuthorizePath);
        Assert.Equal(GitHub.ClientId, authorize.QueryValue("client_id"));
        Assert.Equal(["read:user", "user:email"], authorize.QueryValue("scope")!.Split(' ').Order(StringComparer.Ordinal));
        Assert.EndsWith("/signin-github", authorize.QueryValue("redirect_uri"), StringComparison.Ordinal);

        var exchange = Assert.Single(requests, r => r.Path == FakeGitHub.TokenPath);
        Assert.Equal("POST", exchange.Method);
        Assert.Contains("application/json", exchange.Header("Accept"), StringComparison.Ordinal);
        Assert.Equal(GitHub.ClientId, exchange.Form("client_id"));
        Assert.Equal(GitHub.ClientSecret, exchange.Form("client_secret"));
        Assert.Equal(authorize.QueryValue("redirect_uri"), exchange.Form("redirect_uri"));
        Assert.False(string.IsNullOrEmpty(exchange.Form("code")));

        var profile = Assert.Single(requests, r => r.Path == "/user");
        Assert.Equal(200, profile.StatusCode);
        Assert.StartsWith("gho_", profile.AccessToken, StringComparison.Ordinal);
        Assert.Same(octocat, GitHub.UserOfToken(profile.AccessToken));
        Assert.Contains("Sustain", profile.Header("User-Agent"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_token_endpoint_ends_on_the_login_page_with_an_error_and_no_account()
    {
        var octocat = NewGitHubUser("Unlucky", hasPublicEmail: true);
        GitHub.FailNext(GitHubFailure.ServerError(502), pathPrefix: FakeGitHub.TokenPath);
        using var browser = Browser();

        var journey = await SignInWithGitHubAsync(browser, "/app");

        await AssertEndsOnLoginPageWithErrorAsync(journey, "GitHub sign-in did not complete");
        Assert.Equal(502, GitHub.RequestsTo(FakeGitHub.TokenPath)[^1].StatusCode);
        Assert.False(await App.QueryAsync(db => db.Users.AnyAsync(u => u.GitHubLogin == octocat.Login)));
    }

    [Fact]
    public async Task A_rate_limited_profile_request_ends_on_the_login_page_with_an_error()
    {
        var octocat = NewGitHubUser("Rate Limited", hasPublicEmail: true);
        GitHub.FailNext(GitHubFailure.RateLimited(), pathPrefix: "/user");
        using var browser = Browser();

        var journey = await SignInWithGitHubAsync(browser, "/app");

        await AssertEndsOnLoginPageWithErrorAsync(journey, "GitHub sign-in did not complete");
        Assert.Equal(403, GitHub.RequestsTo("/user")[^1].StatusCode);
        Assert.False(await App.QueryAsync(db => db.Users.AnyAsync(u => u.GitHubLogin == octocat.Login)));
    }

    [Fact]
    public async Task Cancelling_on_GitHub_returns_to_the_login_page_with_an_error()
    {
        NewGitHubUser("Changed Mind", hasPublicEmail: true);
        GitHub.DenyNextAuthorization();
        using var browser = Browser();

        var journey = await SignInWithGitHubAsync(browser, "/app");

        await AssertEndsOnLoginPageWithErrorAsync(journey, "GitHub sign-in did not complete");
    }

    [Fact]
    public async Task A_locked_out_account_is_not_signed_in_through_GitHub()
    {
        var local = await App.CreateUserAsync();
        await App.QueryAsync(async db =>
        {
            var user = await db.Users.SingleAsync(u => u.Id == local.Id);
            user.LockoutEnd = DateTimeOffset.UtcNow.AddHours(1);
            return await db.SaveChangesAsync();
        });
        GitHub.SignInAs(GitHub.AddUser(UniqueLogin(), email: local.Email));
        using var browser = Browser();

        var journey = await SignInWithGitHubAsync(browser, "/app");

        await AssertEndsOnLoginPageWithErrorAsync(journey, "locked");
    }

    private FakeGitHubUser NewGitHubUser(string? name, bool hasPublicEmail)
    {
        var login = UniqueLogin();
        var user = GitHub.AddUser(login, name, hasPublicEmail ? $"{login}@example.test" : null);
        GitHub.SignInAs(user);
        return user;
    }

    /// <summary>
    /// A browser on https, as the app is served: the OAuth correlation cookie is Secure, and a cookie-keeping client
    /// (unlike Chromium on a loopback address) does not send it back over plain http.
    /// </summary>
    private HttpClient Browser() =>
        App.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false, HandleCookies = true });

    private static string UniqueLogin() => $"gh-{Guid.NewGuid():N}"[..15];

    private static async Task AssertEndsOnLoginPageWithErrorAsync(Journey journey, string error)
    {
        Assert.All(journey.Hops, h => Assert.True((int)h.Status < 500, $"{h.PathAndQuery} answered {(int)h.Status}"));
        Assert.Null(journey.IdentityCookie);
        Assert.Equal("/account/login", journey.Hops[^1].Path);
        Assert.Equal(HttpStatusCode.OK, journey.Final.StatusCode);
        var message = Forms.Parse(await journey.Final.Content.ReadAsStringAsync()).QuerySelector("[data-testid=login-error]");
        Assert.NotNull(message);
        Assert.Contains(error, message.TextContent, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Clicks "Sign in with GitHub" as a browser would: each redirect is followed by hand, to the app (through
    /// <paramref name="browser"/>, which keeps its cookies) or to the fake GitHub (over real HTTP).
    /// </summary>
    private async Task<Journey> SignInWithGitHubAsync(HttpClient browser, string returnUrl)
    {
        using var github = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var hops = new List<Hop>();
        string? identityCookie = null;
        var next = new Uri($"/account/login/github?returnUrl={Uri.EscapeDataString(returnUrl)}", UriKind.Relative);
        for (var i = 0; i < 10; i++)
        {
            var toGitHub = next.IsAbsoluteUri && next.Authority == GitHub.Address.Authority;
            var target = next.IsAbsoluteUri && !toGitHub ? new Uri(next.PathAndQuery, UriKind.Relative) : next;
            var response = await (toGitHub ? github : browser).GetAsync(target);
            var uri = toGitHub ? next : new Uri(new Uri("http://app"), target);
            hops.Add(new Hop(uri.AbsolutePath, uri.PathAndQuery, response.StatusCode));
            identityCookie = toGitHub ? identityCookie : SustainAppFactory.IdentityCookie(response) ?? identityCookie;
            if (response.StatusCode is not (HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther))
                return new Journey(hops, response, identityCookie);
            next = response.Headers.Location ?? throw new InvalidOperationException($"{uri} redirected without a Location.");
            response.Dispose();
        }

        throw new InvalidOperationException("More than ten redirects: " + string.Join(" → ", hops.Select(h => h.PathAndQuery)));
    }

    private sealed record Hop(string Path, string PathAndQuery, HttpStatusCode Status);

    private sealed record Journey(IReadOnlyList<Hop> Hops, HttpResponseMessage Final, string? IdentityCookie);
}
