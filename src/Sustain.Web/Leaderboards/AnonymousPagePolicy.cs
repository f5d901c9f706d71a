using Microsoft.AspNetCore.OutputCaching;

namespace Sustain.Web.Leaderboards;

/// <summary>
/// Lets an anonymous public page be cached although Blazor issues an antiforgery cookie with every
/// page (and output caching never stores a response that sets a cookie). The public pages hold no
/// form, so the cookie is dropped from them; any page with a form (sign in, register) issues its own.
/// A response setting any other cookie is still never stored.
/// </summary>
internal sealed class AnonymousPagePolicy : IOutputCachePolicy
{
    private const string AntiforgeryCookiePrefix = ".AspNetCore.Antiforgery.";

    public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        var http = context.HttpContext;
        if (http.User.Identity?.IsAuthenticated != true)
        {
            http.Response.OnStarting(() =>
            {
                var cookies = http.Response.Headers.SetCookie;
                if (cookies.Count > 0 && cookies.All(c => c is not null && c.StartsWith(AntiforgeryCookiePrefix, StringComparison.Ordinal)))
                    http.Response.Headers.Remove("Set-Cookie");
                return Task.CompletedTask;
            });
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;

    public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;
}
