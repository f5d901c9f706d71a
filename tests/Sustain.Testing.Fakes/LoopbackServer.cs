using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Sustain.Testing.Fakes;

/// <summary>The bare web server every fake runs on: Kestrel on a free 127.0.0.1 port, routing, warnings only.</summary>
public static class LoopbackServer
{
    /// <summary>Builds the server, lets <paramref name="configure"/> add the fake's middleware and endpoints, starts it.</summary>
    public static async Task<(WebApplication App, Uri Address)> StartAsync(Action<WebApplication> configure)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(LoopbackServer).Assembly.GetName().Name });
        builder.WebHost.UseKestrelCore();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddRoutingCore();
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        var app = builder.Build();
        configure(app);
        await app.StartAsync();
        return (app, new Uri(app.Urls.Single().TrimEnd('/') + "/"));
    }
}
