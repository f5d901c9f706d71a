using MudBlazor.Services;
using Sustain.Web.Components;

namespace Sustain.Web;

public static class UserInterface
{
    public static IHostApplicationBuilder AddUserInterface(this IHostApplicationBuilder builder)
    {
        // Serve MudBlazor's and the top-level wwwroot's assets from the build output in any environment
        // (a published app has them in its own wwwroot, and this is then a no-op).
        if (builder is WebApplicationBuilder web)
            web.WebHost.UseStaticWebAssets();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.Services.AddCascadingAuthenticationState();
        return builder;
    }

    public static WebApplication MapUserInterface(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

        // The theme is a cookie, so static pages and interactive ones agree without script.
        app.MapGet("/theme/{mode}", (string mode, string? returnUrl, HttpContext http) =>
        {
            var dark = string.Equals(mode, "dark", StringComparison.OrdinalIgnoreCase);
            http.Response.Cookies.Append(ThemePreference.Cookie, dark ? "dark" : "light", new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, MaxAge = TimeSpan.FromDays(365), IsEssential = true });
            return Results.LocalRedirect(returnUrl is { Length: > 0 } && Uri.IsWellFormedUriString(returnUrl, UriKind.Relative) && returnUrl.StartsWith('/') ? returnUrl : "/");
        }).ExcludeFromDescription();
        return app;
    }
}

public static class ThemePreference
{
    public const string Cookie = "sustain-theme";

    public static bool IsDark(HttpContext? http) => http?.Request.Cookies[Cookie] == "dark";
}
