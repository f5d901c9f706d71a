using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sustain.Data.Identity;
using Sustain.Data.Organisations;
using Sustain.Web.Organisations;
using Sustain.Web.Tests.Infrastructure;

namespace Sustain.Web.Tests.Organisations;

public sealed class InvitationTests(OrganisationsAppFactory app) : IClassFixture<OrganisationsAppFactory>, IDisposable
{
    private readonly IServiceScope scope = app.Services.CreateScope();

    private InvitationService Invitations => scope.ServiceProvider.GetRequiredService<InvitationService>();

    public void Dispose() => scope.Dispose();

    private async Task<(Organisation Organisation, SustainUser Owner, string Secret)> InvitationAsync(OrganisationRole role = OrganisationRole.Member, TimeSpan? validFor = null)
    {
        var owner = await app.CreateUserAsync(displayName: "owner");
        var organisation = await app.CreateOrganisationAsync(owner);
        var (secret, error) = await Invitations.CreateAsync(OrganisationsAppFactory.AccessOf(organisation, owner, OrganisationRole.Owner), role, validFor ?? InvitationService.DefaultValidity);
        Assert.Null(error);
        return (organisation, owner, secret!);
    }

    private static async Task<HttpResponseMessage> AcceptThroughPageAsync(HttpClient browser, string secret)
    {
        var page = await browser.GetStringAsync($"/invite/{secret}");
        Assert.Contains("data-testid=\"invite-accept-form\"", page, StringComparison.Ordinal);
        return await Forms.SubmitAsync(browser, $"/invite/{secret}", new Dictionary<string, string> { ["_handler"] = "accept-invitation" });
    }

    [Fact]
    public async Task Invitation_secret_is_32_random_bytes_and_only_its_sha256_is_stored()
    {
        var (organisation, _, secret) = await InvitationAsync();

        Assert.Equal(32, Convert.FromBase64String(secret.Replace('-', '+').Replace('_', '/') + "=").Length);
        await using var db = await app.DbAsync();
        var stored = await db.Invitations.SingleAsync(i => i.OrganisationId == organisation.Id);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret))), stored.TokenHash);
        Assert.DoesNotContain(secret, stored.TokenHash, StringComparison.Ordinal);
        Assert.Equal(app.Clock.GetUtcNow() + TimeSpan.FromDays(7), stored.ExpiresAt);
    }

    [Fact]
    public async Task Signed_in_user_accepts_an_invitation_through_the_page_and_becomes_a_member_with_its_role()
    {
        var (organisation, _, secret) = await InvitationAsync(OrganisationRole.Admin);
        var invitee = await app.CreateUserAsync(displayName: "invitee");
        using var browser = app.CreateBrowser();
        await OrganisationsAppFactory.SignInAsync(browser, invitee);

        var page = await browser.GetStringAsync($"/invite/{secret}");
        Assert.Contains($"Join {organisation.Name}", page, StringComparison.Ordinal);
        Assert.Contains("an admin", page, StringComparison.Ordinal);

        using var accepted = await AcceptThroughPageAsync(browser, secret);
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Equal($"/app/{organisation.Slug}", accepted.Headers.Location?.AbsolutePath);

        await using var db = await app.DbAsync();
        var membership = await db.Memberships.SingleAsync(m => m.OrganisationId == organisation.Id && m.UserId == invitee.Id);
        Assert.Equal(OrganisationRole.Admin, membership.Role);
        var invitation = await db.Invitations.SingleAsync(i => i.OrganisationId == organisation.Id);
        Assert.Equal(invitee.Id, invitation.AcceptedByUserId);
        Assert.NotNull(invitation.AcceptedAt);
    }

    [Fact]
    public async Task Anonymous_visitor_sees_the_organisation_and_is_sent_to_sign_in_and_back()
    {
        var (organisation, _, secret) = await InvitationAsync();
        using var browser = app.CreateBrowser();

        var page = await browser.GetStringAsync($"/invite/{secret}");

        Assert.Contains(organisation.Name, page, StringComparison.Ordinal);
        Assert.Contains($"/account/login?returnUrl=%2Finvite%2F{secret}", page, StringComparison.Ordinal);
        Assert.Contains($"/account/register?returnUrl=%2Finvite%2F{secret}", page, StringComparison.Ordinal);
        Assert.DoesNotContain("invite-accept-form", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accepting_again_is_idempotent()
    {
        var (organisation, _, secret) = await InvitationAsync();
        var invitee = await app.CreateUserAsync(displayName: "invitee");

        var first = await Invitations.AcceptAsync(secret, invitee.Id);
        var second = await Invitations.AcceptAsync(secret, invitee.Id);

        Assert.True(first.Succeeded);
        Assert.True(second.Succeeded);
        await using var db = await app.DbAsync();
        Assert.Equal(1, await db.Memberships.CountAsync(m => m.OrganisationId == organisation.Id && m.UserId == invitee.Id));
    }

    [Fact]
    public async Task Existing_member_who_accepts_keeps_their_role_and_uses_up_the_link()
    {
        var (organisation, owner, secret) = await InvitationAsync(OrganisationRole.Member);

        var result = await Invitations.AcceptAsync(secret, owner.Id);

        Assert.True(result.Succeeded);
        Assert.True(result.AlreadyMember);
        await using var db = await app.DbAsync();
        Assert.Equal(OrganisationRole.Owner, (await db.Memberships.SingleAsync(m => m.OrganisationId == organisation.Id && m.UserId == owner.Id)).Role);
        Assert.Equal(InvitationState.Accepted, (await Invitations.LookupAsync(secret)).State);
    }

    [Fact]
    public async Task Used_invitation_turns_away_a_second_person_with_a_clear_message()
    {
        var (organisation, _, secret) = await InvitationAsync();
        var first = await app.CreateUserAsync(displayName: "first");
        var second = await app.CreateUserAsync(displayName: "second");
        Assert.True((await Invitations.AcceptAsync(secret, first.Id)).Succeeded);

        using var browser = app.CreateBrowser();
        await OrganisationsAppFactory.SignInAsync(browser, second);
        var page = await browser.GetStringAsync($"/invite/{secret}");

        Assert.Contains("has already been used", page, StringComparison.Ordinal);
        Assert.DoesNotContain("invite-accept-form", page, StringComparison.Ordinal);
        var refused = await Invitations.AcceptAsync(secret, second.Id);
        Assert.False(refused.Succeeded);
        await using var db = await app.DbAsync();
        Assert.False(await db.Memberships.AnyAsync(m => m.OrganisationId == organisation.Id && m.UserId == second.Id));
    }

    [Fact]
    public async Task Expired_invitation_is_refused_and_says_when_it_expired()
    {
        var (organisation, _, secret) = await InvitationAsync(validFor: TimeSpan.FromHours(1));
        var invitee = await app.CreateUserAsync(displayName: "late");
        app.Clock.Advance(TimeSpan.FromHours(2));

        using var browser = app.CreateBrowser();
        var page = await browser.GetStringAsync($"/invite/{secret}");
        var result = await Invitations.AcceptAsync(secret, invitee.Id);

        Assert.Contains("expired on", page, StringComparison.Ordinal);
        Assert.False(result.Succeeded);
        Assert.Equal(InvitationState.Expired, result.Invitation.State);
        Assert.Contains("expired", result.Error, StringComparison.Ordinal);
        await using var db = await app.DbAsync();
        Assert.False(await db.Memberships.AnyAsync(m => m.OrganisationId == organisation.Id && m.UserId == invitee.Id));
    }

    [Fact]
    public async Task Revoked_invitation_is_refused_and_leaves_the_pending_list()
    {
        var (organisation, owner, secret) = await InvitationAsync();
        var pending = Assert.Single(await Invitations.ListPendingAsync(organisation.Id));

        Assert.Null(await Invitations.RevokeAsync(OrganisationsAppFactory.AccessOf(organisation, owner, OrganisationRole.Owner), pending.Id));
        var invitee = await app.CreateUserAsync(displayName: "invitee");
        var result = await Invitations.AcceptAsync(secret, invitee.Id);

        Assert.False(result.Succeeded);
        Assert.Contains("withdrawn", result.Error, StringComparison.Ordinal);
        Assert.Empty(await Invitations.ListPendingAsync(organisation.Id));
    }

    [Fact]
    public async Task Unknown_link_says_it_is_not_valid()
    {
        using var browser = app.CreateBrowser();

        var page = await browser.GetStringAsync("/invite/not-a-real-secret");

        Assert.Contains("This invitation link is not valid", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admin_cannot_invite_an_owner_and_a_member_cannot_invite_at_all()
    {
        var owner = await app.CreateUserAsync(displayName: "owner");
        var admin = await app.CreateUserAsync(displayName: "admin");
        var member = await app.CreateUserAsync(displayName: "member");
        var organisation = await app.CreateOrganisationAsync(owner, (admin, OrganisationRole.Admin), (member, OrganisationRole.Member));

        var (ownerLink, adminError) = await Invitations.CreateAsync(OrganisationsAppFactory.AccessOf(organisation, admin, OrganisationRole.Admin), OrganisationRole.Owner, InvitationService.DefaultValidity);
        var (memberLink, memberError) = await Invitations.CreateAsync(OrganisationsAppFactory.AccessOf(organisation, member, OrganisationRole.Member), OrganisationRole.Member, InvitationService.DefaultValidity);
        var (adminLink, _) = await Invitations.CreateAsync(OrganisationsAppFactory.AccessOf(organisation, admin, OrganisationRole.Admin), OrganisationRole.Admin, InvitationService.DefaultValidity);

        Assert.Null(ownerLink);
        Assert.Contains("owner", adminError, StringComparison.Ordinal);
        Assert.Null(memberLink);
        Assert.NotNull(memberError);
        Assert.NotNull(adminLink);
    }
}
