using System.Net;
using Sustain.Web.Tests.Infrastructure;

namespace Sustain.Web.Tests.Identity;

public sealed class AccountTests(SustainAppFactory app) : IClassFixture<SustainAppFactory>
{
    [Fact]
    public async Task Registering_through_the_form_signs_the_user_in_and_opens_the_dashboard()
    {
        using var browser = app.CreateBrowser();
        var email = $"rae-{Guid.NewGuid():N}@example.test";

        using var registered = await Forms.SubmitAsync(browser, "/account/register", new Dictionary<string, string>
        {
            ["Input.DisplayName"] = "Rae Register",
            ["Input.Email"] = email,
            ["Input.Password"] = "a-long-password-42",
        });

        await registered.AssertStatusAsync(HttpStatusCode.Redirect);
        Assert.Equal("/app", SameSitePath(registered));
        Assert.NotNull(SustainAppFactory.IdentityCookie(registered));
        using var dashboard = await browser.GetAsync(new Uri("/app", UriKind.Relative));
        await dashboard.AssertStatusAsync(HttpStatusCode.OK);
        var html = await dashboard.Content.ReadAsStringAsync();
        Assert.Contains("Your organisations", html, StringComparison.Ordinal);
        Assert.Contains(email, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_password_the_rules_refuse_is_explained_and_no_account_is_signed_in()
    {
        using var browser = app.CreateBrowser();

        using var response = await Forms.SubmitAsync(browser, "/account/register", new Dictionary<string, string>
        {
            ["Input.DisplayName"] = "No Digits",
            ["Input.Email"] = $"nodigits-{Guid.NewGuid():N}@example.test",
            ["Input.Password"] = "only-letters-here",
        });

        await response.AssertStatusAsync(HttpStatusCode.OK);
        var error = Forms.Parse(await response.Content.ReadAsStringAsync()).QuerySelector("[data-testid=register-error]");
        Assert.NotNull(error);
        Assert.Contains("digit", error.TextContent, StringComparison.OrdinalIgnoreCase);
        Assert.Null(SustainAppFactory.IdentityCookie(response));
    }

    [Fact]
    public async Task Registering_an_email_twice_says_to_sign_in_instead()
    {
        var existing = await app.CreateUserAsync();
        using var browser = app.CreateBrowser();

        using var response = await Forms.SubmitAsync(browser, "/account/register", new Dictionary<string, string>
        {
            ["Input.DisplayName"] = "Again",
            ["Input.Email"] = existing.Email!,
            ["Input.Password"] = "a-long-password-42",
        });

        await response.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Contains("already exists", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(SustainAppFactory.IdentityCookie(response));
    }

    [Fact]
    public async Task Signing_in_redirects_to_the_return_url()
    {
        var user = await app.CreateUserAsync();
        using var browser = app.CreateBrowser();

        using var response = await Forms.SubmitAsync(browser, "/account/login?returnUrl=%2Fapi", new Dictionary<string, string>
        {
            ["Input.Email"] = user.Email!,
            ["Input.Password"] = SustainAppFactory.Password,
        });

        await response.AssertStatusAsync(HttpStatusCode.Redirect);
        Assert.Equal("/api", SameSitePath(response));
        Assert.NotNull(SustainAppFactory.IdentityCookie(response));
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    public async Task Signing_in_never_redirects_off_the_site(string returnUrl)
    {
        var user = await app.CreateUserAsync();
        using var browser = app.CreateBrowser();

        using var response = await Forms.SubmitAsync(browser, "/account/login?returnUrl=" + Uri.EscapeDataString(returnUrl), new Dictionary<string, string>
        {
            ["Input.Email"] = user.Email!,
            ["Input.Password"] = SustainAppFactory.Password,
        });

        await response.AssertStatusAsync(HttpStatusCode.Redirect);
        Assert.Equal("/app", SameSitePath(response));
    }

    [Fact]
    public async Task A_wrong_password_shows_an_error_and_sets_no_cookie()
    {
        var user = await app.CreateUserAsync();
        using var browser = app.CreateBrowser();

        using var response = await Forms.SubmitAsync(browser, "/account/login", new Dictionary<string, string>
        {
            ["Input.Email"] = user.Email!,
            ["Input.Password"] = "not-the-password-1",
        });

        await response.AssertStatusAsync(HttpStatusCode.OK);
        var error = Forms.Parse(await response.Content.ReadAsStringAsync()).QuerySelector("[data-testid=login-error]");
        Assert.Equal("The email or password is wrong.", error?.TextContent.Trim());
        Assert.Null(SustainAppFactory.IdentityCookie(response));
        using var dashboard = await browser.GetAsync(new Uri("/app", UriKind.Relative));
        await dashboard.AssertStatusAsync(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task A_login_post_without_the_antiforgery_token_is_refused()
    {
        var user = await app.CreateUserAsync();
        using var browser = app.CreateBrowser();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["Input.Email"] = user.Email!,
            ["Input.Password"] = SustainAppFactory.Password,
        });

        using var response = await browser.PostAsync(new Uri("/account/login", UriKind.Relative), form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(SustainAppFactory.IdentityCookie(response));
    }

    [Theory]
    [InlineData("/app")]
    public async Task The_signed_in_app_sends_an_anonymous_visitor_to_the_login_page(string path)
    {
        using var browser = app.CreateBrowser();

        using var response = await browser.GetAsync(new Uri(path, UriKind.Relative));

        await response.AssertStatusAsync(HttpStatusCode.Redirect);
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith("/account/login", new Uri(new Uri("http://localhost"), location).AbsolutePath, StringComparison.Ordinal);
        Assert.Contains(Uri.EscapeDataString(path), location, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Where a redirect goes, asserting it stays on this site.</summary>
    private static string SameSitePath(HttpResponseMessage response)
    {
        var target = new Uri(new Uri("http://localhost"), response.Headers.Location!);
        Assert.Equal("localhost", target.Host);
        return target.AbsolutePath;
    }
}
