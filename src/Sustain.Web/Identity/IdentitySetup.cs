using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OAuth;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Sustain.Data;
using Sustain.Data.Identity;

namespace Sustain.Web.Identity;

public sealed class GitHubOptions
{
    public const string Section = "GitHub";

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>The REST API, read through Octokit (profile, repositories).</summary>
    public Uri ApiBaseAddress { get; set; } = new("https://api.github.com/");

    /// <summary>A token the app uses for public repository data; without one GitHub allows far fewer requests an hour.</summary>
    public string? Token { get; set; }

    /// <summary>Where the OAuth authorize and token endpoints live.</summary>
    public Uri OAuthBaseAddress { get; set; } = new("https://github.com/");

    public bool SignInEnabled => !string.IsNullOrWhiteSpace(ClientId) && !string.IsNullOrWhiteSpace(ClientSecret);
}

public static class IdentitySetup
{
    public const string GitHubScheme = "GitHub";

    public static IHostApplicationBuilder AddIdentityFeature(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<GitHubOptions>().BindConfiguration(GitHubOptions.Section);
        builder.Services.AddSingleton<GitHub.GitHubClients>();
        builder.Services.AddSingleton<GitHubAccessTokens>();
        var github = builder.Configuration.GetSection(GitHubOptions.Section).Get<GitHubOptions>() ?? new GitHubOptions();

        builder.Services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();
        var authentication = builder.Services.AddAuthentication(options =>
        {
            options.DefaultScheme = IdentityConstants.ApplicationScheme;
            options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
        });
        authentication.AddIdentityCookies(cookies => cookies.ApplicationCookie?.Configure(options =>
        {
            options.LoginPath = "/account/login";
            options.AccessDeniedPath = "/account/access-denied";
            options.Events.OnRedirectToLogin = context => ApiAwareRedirect(context, StatusCodes.Status401Unauthorized);
            options.Events.OnRedirectToAccessDenied = context => ApiAwareRedirect(context, StatusCodes.Status403Forbidden);
        }));
        authentication.AddScheme<OrgTokenAuthenticationOptions, OrgTokenAuthenticationHandler>(OrgTokenAuthenticationHandler.SchemeName, _ => { });

        if (github.SignInEnabled)
        {
            authentication.AddOAuth(GitHubScheme, "GitHub", options =>
            {
                options.ClientId = github.ClientId!;
                options.ClientSecret = github.ClientSecret!;
                options.CallbackPath = "/signin-github";
                options.AuthorizationEndpoint = new Uri(github.OAuthBaseAddress, "login/oauth/authorize").ToString();
                options.TokenEndpoint = new Uri(github.OAuthBaseAddress, "login/oauth/access_token").ToString();
                options.Scope.Add("read:user");
                options.Scope.Add("user:email");
                // Kept (protected) so maintainer claims can ask GitHub about the user's own permission on a repository.
                options.SaveTokens = true;
                options.Events.OnCreatingTicket = context => GitHubProfile.AddClaimsAsync(context, github.ApiBaseAddress);
                options.Events.OnRemoteFailure = GitHubProfile.ReturnToLoginAsync;
            });
        }

        builder.Services.AddIdentityCore<SustainUser>(options =>
            {
                options.SignIn.RequireConfirmedAccount = false;
                options.User.RequireUniqueEmail = true;
                options.Password.RequiredLength = 10;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequireUppercase = false;
                options.Lockout.MaxFailedAccessAttempts = 10;
            })
            .AddEntityFrameworkStores<SustainDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();
        builder.Services.AddAuthorization();
        return builder;
    }

    public static WebApplication MapIdentityFeature(this WebApplication app)
    {
        var account = app.MapGroup("/account").ExcludeFromDescription();

        account.MapPost("/logout", async (SignInManager<SustainUser> signIn, [Microsoft.AspNetCore.Mvc.FromForm] string? returnUrl) =>
        {
            await signIn.SignOutAsync();
            return Results.LocalRedirect(SafeReturnUrl(returnUrl));
        });

        account.MapGet("/login/github", (string? returnUrl, SignInManager<SustainUser> signIn, Microsoft.Extensions.Options.IOptions<GitHubOptions> github) =>
        {
            if (!github.Value.SignInEnabled)
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "GitHub sign-in is not configured", detail: "Set GitHub:ClientId and GitHub:ClientSecret to enable it.");
            var properties = signIn.ConfigureExternalAuthenticationProperties(GitHubScheme, $"/account/external-callback?returnUrl={Uri.EscapeDataString(SafeReturnUrl(returnUrl))}");
            return Results.Challenge(properties, [GitHubScheme]);
        });

        account.MapGet("/external-callback", async (string? returnUrl, SignInManager<SustainUser> signIn, UserManager<SustainUser> users, GitHubAccessTokens tokens) =>
        {
            var info = await signIn.GetExternalLoginInfoAsync();
            if (info is null)
                return Results.LocalRedirect("/account/login?error=external");
            var result = await signIn.ExternalLoginSignInAsync(info.LoginProvider, info.ProviderKey, isPersistent: true, bypassTwoFactor: true);
            if (result.Succeeded)
            {
                if (await users.FindByLoginAsync(info.LoginProvider, info.ProviderKey) is { } known)
                    await tokens.StoreAsync(users, known, info);
                return Results.LocalRedirect(SafeReturnUrl(returnUrl));
            }

            if (result.IsLockedOut || result.IsNotAllowed)
                return Results.LocalRedirect("/account/login?error=external-locked");

            var user = await GitHubProfile.LinkToSignedInUserAsync(users, signIn.Context.User, info) ?? await GitHubProfile.FindOrCreateUserAsync(users, info);
            if (user is null)
                return Results.LocalRedirect("/account/login?error=external-account");
            // A linked account must not sign in past a lockout that the password form would enforce.
            if (!await signIn.CanSignInAsync(user) || await users.IsLockedOutAsync(user))
                return Results.LocalRedirect("/account/login?error=external-locked");
            await tokens.StoreAsync(users, user, info);
            await signIn.SignInAsync(user, isPersistent: true, info.LoginProvider);
            await signIn.Context.SignOutAsync(IdentityConstants.ExternalScheme);
            return Results.LocalRedirect(SafeReturnUrl(returnUrl));
        });
        return app;
    }

    public static string SafeReturnUrl(string? returnUrl) =>
        returnUrl is { Length: > 0 } && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal) && !returnUrl.StartsWith("/\\", StringComparison.Ordinal) ? returnUrl : "/app";

    private static Task ApiAwareRedirect(RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}

/// <summary>Reads the signed-in GitHub user's profile with Octokit, through the configured API base address.</summary>
internal static partial class GitHubProfile
{
    public const string LoginClaim = "urn:github:login";

    public static async Task AddClaimsAsync(OAuthCreatingTicketContext context, Uri apiBase)
    {
        var client = GitHub.GitHubClients.Create(apiBase, context.AccessToken);
        var user = await client.User.Current();
        var identity = context.Identity!;
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        identity.AddClaim(new Claim(LoginClaim, user.Login));
        identity.AddClaim(new Claim(ClaimTypes.Name, user.Name ?? user.Login));
        if (!string.IsNullOrEmpty(user.Email))
            identity.AddClaim(new Claim(ClaimTypes.Email, user.Email));
    }

    /// <summary>
    /// A failed round trip (the user cancelled, the code exchange or the profile read failed) ends on the login
    /// page with a message, instead of the exception the handler throws by default.
    /// </summary>
    public static Task ReturnToLoginAsync(RemoteFailureContext context)
    {
        SignInFailed(context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(GitHubProfile)), context.Failure?.Message, context.Failure);
        context.Response.Redirect("/account/login?error=external");
        context.HandleResponse();
        return Task.CompletedTask;
    }

    public static async Task<SustainUser?> FindOrCreateUserAsync(UserManager<SustainUser> users, ExternalLoginInfo info)
    {
        var login = info.Principal.FindFirstValue(LoginClaim);
        var email = info.Principal.FindFirstValue(ClaimTypes.Email) ?? $"{login}@users.noreply.github.invalid";
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            user = new SustainUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = info.Principal.FindFirstValue(ClaimTypes.Name), GitHubLogin = login };
            if (!(await users.CreateAsync(user)).Succeeded)
                return null;
        }
        else if (user.GitHubLogin is null)
        {
            user.GitHubLogin = login;
            await users.UpdateAsync(user);
        }

        return (await users.AddLoginAsync(user, info)).Succeeded || (await users.FindByLoginAsync(info.LoginProvider, info.ProviderKey)) is not null ? user : null;
    }

    /// <summary>
    /// A user already signed in with a password who signs in with GitHub links GitHub to that account (rather than
    /// landing in a second one), unless it is already linked to another GitHub login.
    /// </summary>
    public static async Task<SustainUser?> LinkToSignedInUserAsync(UserManager<SustainUser> users, ClaimsPrincipal current, ExternalLoginInfo info)
    {
        if (current.Identity?.IsAuthenticated != true || await users.GetUserAsync(current) is not { } user)
            return null;
        var login = info.Principal.FindFirstValue(LoginClaim);
        if (user.GitHubLogin is not null && !string.Equals(user.GitHubLogin, login, StringComparison.OrdinalIgnoreCase))
            return null;
        if (!(await users.AddLoginAsync(user, info)).Succeeded)
            return null;
        if (user.GitHubLogin is null)
        {
            user.GitHubLogin = login;
            await users.UpdateAsync(user);
        }

        return user;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "GitHub sign-in failed: {Reason}")]
    private static partial void SignInFailed(ILogger logger, string? reason, Exception? exception);
}

/// <summary>
/// The GitHub OAuth access token a user granted at their last GitHub sign-in, kept in the user's tokens
/// (encrypted with Data Protection), so the app can ask GitHub about the user's own permissions later.
/// </summary>
public sealed class GitHubAccessTokens(IDataProtectionProvider protection)
{
    private const string Name = "access_token";

    private readonly IDataProtector _protector = protection.CreateProtector("Sustain.GitHub.AccessToken");

    public async Task StoreAsync(UserManager<SustainUser> users, SustainUser user, ExternalLoginInfo info)
    {
        var token = info.AuthenticationTokens?.FirstOrDefault(t => t.Name == Name)?.Value;
        if (!string.IsNullOrEmpty(token))
            await users.SetAuthenticationTokenAsync(user, IdentitySetup.GitHubScheme, Name, _protector.Protect(token));
    }

    /// <summary>The user's token; null when they never signed in with GitHub since tokens were kept, or it cannot be read.</summary>
    public async Task<string?> ReadAsync(UserManager<SustainUser> users, SustainUser user)
    {
        var stored = await users.GetAuthenticationTokenAsync(user, IdentitySetup.GitHubScheme, Name);
        if (string.IsNullOrEmpty(stored))
            return null;
        try
        {
            return _protector.Unprotect(stored);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }
}
