using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Sustain.Data;

namespace Sustain.Web.Operations;

public sealed class ApiRateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Requests per minute for one caller (an API token, or an address without one).</summary>
    public int ApiRequestsPerMinute { get; set; } = 300;
}

public static class OperationsSetup
{
    public const string ApiRateLimitPolicy = "api";

    public static IHostApplicationBuilder AddOperations(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        builder.Services.AddOptions<ApiRateLimitOptions>().BindConfiguration(ApiRateLimitOptions.Section);

        var limits = builder.Configuration.GetSection(ApiRateLimitOptions.Section).Get<ApiRateLimitOptions>() ?? new ApiRateLimitOptions();
        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(ApiRateLimitPolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                CallerKey(http),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.ApiRequestsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            options.OnRejected = async (context, cancellation) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                    context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests", detail: $"This caller may make {limits.ApiRequestsPerMinute} API requests a minute; try again shortly.")
                    .ExecuteAsync(context.HttpContext);
            };
        });
        return builder;
    }

    public static WebApplication UseOperations(this WebApplication app)
    {
        // Never a stack trace to a user: unexpected failures become a plain problem (API) or the error page (browser).
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = e => e is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
            ExceptionHandler = async http =>
            {
                var status = http.Response.StatusCode;
                var error = http.Features.Get<IExceptionHandlerFeature>()?.Error;
                var detail = error is BadHttpRequestException bad ? bad.Message : "The server could not complete the request; it has been logged.";
                if (IsApi(http) || !AcceptsHtml(http))
                {
                    await Results.Problem(statusCode: status, title: status >= 500 ? "Server error" : "Bad request", detail: detail).ExecuteAsync(http);
                    return;
                }

                http.Response.ContentType = "text/html; charset=utf-8";
                await http.Response.WriteAsync($"<!DOCTYPE html><html><head><title>Sustain: error</title><link rel=\"stylesheet\" href=\"/css/sustain.css\"></head><body class=\"plain-error\"><h1>Something went wrong</h1><p>{System.Net.WebUtility.HtmlEncode(detail)}</p><p><a href=\"/\">Back to Sustain</a></p></body></html>");
            },
        });
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);

        // An API caller gets a problem for an empty error response (written inside, so the page is not re-executed):
        // the not-found page would answer JSON clients with HTML, and a POST with a 400 from the page's antiforgery check.
        app.UseWhen(IsApi, api => api.UseStatusCodePages());
        app.Use(SecurityHeaders);
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapOpenApi();
        app.MapHealthChecks("/healthz").DisableRateLimiting();
        return app;
    }

    private static bool IsApi(HttpContext http) => http.Request.Path.StartsWithSegments("/api");

    private static bool AcceptsHtml(HttpContext http) => http.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);

    private static string CallerKey(HttpContext http)
    {
        var authorization = http.Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && authorization.Length > 20)
            return "token:" + authorization[7..Math.Min(authorization.Length, 40)];
        return "ip:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
    }

    private static Task SecurityHeaders(HttpContext http, Func<Task> next)
    {
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
        headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data: https:; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'self';";
        return next();
    }
}

internal sealed class DatabaseHealthCheck(SustainDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await db.Database.CanConnectAsync(cancellationToken) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("The database cannot be reached.");
}
