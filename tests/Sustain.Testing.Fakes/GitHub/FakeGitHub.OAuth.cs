using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;

namespace Sustain.Testing.Fakes.GitHub;

/// <summary>
/// GitHub's OAuth web flow (docs.github.com, "Authorizing OAuth apps"): the authorize page, here approved at
/// once, and the code-for-token exchange, which GitHub answers 200 even for errors, with an <c>error</c> field.
/// </summary>
public sealed partial class FakeGitHub
{
    public const string AuthorizePath = "/login/oauth/authorize";
    public const string TokenPath = "/login/oauth/access_token";

    private static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(10);

    private void MapOAuth(IEndpointRouteBuilder routes)
    {
        routes.MapGet(AuthorizePath, Authorize);
        routes.MapPost(TokenPath, (Func<HttpContext, Task<IResult>>)ExchangeCodeAsync);
    }

    private IResult Authorize(HttpContext http)
    {
        var query = http.Request.Query;
        var redirectUri = query["redirect_uri"].ToString();
        var state = query["state"].ToString();
        if (query["client_id"] != ClientId)
            return Results.Text($"The fake GitHub has no OAuth app with client_id '{query["client_id"]}'.", statusCode: StatusCodes.Status404NotFound);
        if (!Uri.TryCreate(redirectUri, UriKind.Absolute, out _))
            return Results.Text("The redirect_uri is missing or not absolute; GitHub would fall back to the app's registered callback URL, the fake needs one.", statusCode: StatusCodes.Status400BadRequest);

        if (Interlocked.Decrement(ref _denials) >= 0)
        {
            return Results.Redirect(QueryHelpers.AddQueryString(redirectUri, new Dictionary<string, string?>
            {
                ["error"] = "access_denied",
                ["error_description"] = "The user has denied your application access.",
                ["error_uri"] = "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-authorization-request-errors/#access-denied",
                ["state"] = state,
            }));
        }

        Interlocked.Exchange(ref _denials, 0);
        FakeGitHubUser? user;
        lock (_gate)
            user = _signedIn;
        if (user is null)
            return Results.Text("Nobody is signed in to the fake GitHub: call SignInAs(user) before the app sends the browser here.", statusCode: StatusCodes.Status401Unauthorized);

        var code = RandomToken(20);
        var scopes = query["scope"].ToString().Split([' ', ','], StringSplitOptions.RemoveEmptyEntries);
        _codes[code] = new AuthorizationCode(user, redirectUri, scopes, DateTimeOffset.UtcNow + CodeLifetime);
        return Results.Redirect(QueryHelpers.AddQueryString(redirectUri, new Dictionary<string, string?> { ["code"] = code, ["state"] = state }));
    }

    private async Task<IResult> ExchangeCodeAsync(HttpContext http)
    {
        var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(http.RequestAborted) : FormCollection.Empty;
        var wantsJson = http.Request.Headers.Accept.ToString().Contains("application/json", StringComparison.OrdinalIgnoreCase);

        if (form["client_id"] != ClientId || form["client_secret"] != ClientSecret)
            return TokenError(wantsJson, "incorrect_client_credentials", "The client_id and/or client_secret passed are incorrect.", "incorrect-client-credentials");

        // A code is good once: GitHub forgets it on the first exchange, successful or not.
        if (!_codes.TryRemove(form["code"].ToString(), out var code) || code.ExpiresAt < DateTimeOffset.UtcNow)
            return TokenError(wantsJson, "bad_verification_code", "The code passed is incorrect or expired.", "bad-verification-code");

        if (form.TryGetValue("redirect_uri", out var redirectUri) && redirectUri.ToString() is { Length: > 0 } given && given != code.RedirectUri)
            return TokenError(wantsJson, "redirect_uri_mismatch", "The redirect_uri MUST match the registered callback URL for this application.", "redirect-uri-mismatch");

        var token = "gho_" + RandomToken(36);
        _tokens[token] = new AccessGrant(code.User, code.Scopes);
        var scope = string.Join(',', code.Scopes);
        return wantsJson
            ? Results.Json(new { AccessToken = token, TokenType = "bearer", Scope = scope }, Json)
            : FormEncoded(new Dictionary<string, string?> { ["access_token"] = token, ["scope"] = scope, ["token_type"] = "bearer" });
    }

    private static IResult TokenError(bool json, string error, string description, string anchor)
    {
        var uri = $"https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors/#{anchor}";
        return json
            ? Results.Json(new { Error = error, ErrorDescription = description, ErrorUri = uri }, Json)
            : FormEncoded(new Dictionary<string, string?> { ["error"] = error, ["error_description"] = description, ["error_uri"] = uri });
    }

    private static IResult FormEncoded(Dictionary<string, string?> fields) =>
        Results.Text(QueryHelpers.AddQueryString("", fields).TrimStart('?'), "application/x-www-form-urlencoded; charset=utf-8");
}
