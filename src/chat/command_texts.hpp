// The English texts of the operator commands (commands.md). Those marked
// Markdown are rendered before they are sent.
#pragma once

#include <string_view>

namespace chat::text::cmd {

// Markdown.
inline constexpr std::string_view kKickUsage =
    "Usage: `/kick username` to remove the user from the chat room.\n\nNote: if the username has "
    "spaces in it, quote the name (shell style), `/kick \"username 2\"`";
inline constexpr std::string_view kBanUsage =
    "Usage: `/ban username` to remove the user from the chat room for 24 hours (default).\n\nSet "
    "another duration (in hours) like: `/ban username 2` for a 2-hour ban.";
inline constexpr std::string_view kUnbanUsage =
    "Usage: `/unban username` to lift the ban on a user and allow them back into the chat room.";
inline constexpr std::string_view kOpUsage =
    "Usage: `/op username` to grant temporary operator rights to a user.";
inline constexpr std::string_view kDeopUsage =
    "Usage: `/deop username` to remove operator rights from a user.";
inline constexpr std::string_view kBansHeader = "The listing of banned users currently includes:";
inline constexpr std::string_view kHelp =
    "The most common moderator commands on chat are:\n\n"
    "* `/kick <username>` to kick from chat\n"
    "* `/ban <username> <duration>` to ban from chat (default duration is 24 (hours))\n"
    "* `/unban <username>` to lift the ban on a user\n"
    "* `/bans` to list current banned users and their expiration date\n"
    "* `/nsfw <username>` to mark their camera NSFW\n"
    "* `/cut <username>` to make them turn off their camera\n"
    "* `/help` to show this message\n"
    "* `/help-advanced` to show advanced admin commands\n\n"
    "Note: shell-style quoting is supported, if a username has a space in it, quote the whole "
    "username, e.g.: `/kick \"username 2\"`";
inline constexpr std::string_view kHelpAdvanced =
    "The following commands are **dangerous** and should only be used if you know what you're "
    "doing:\n\n"
    "* `/op <username>` to grant operator rights to a user\n"
    "* `/deop <username>` to remove operator rights from a user\n"
    "* `/shutdown` to gracefully shut down (reboot) the chat server\n"
    "* `/kickall` to kick EVERYBODY off and force them to log back in\n"
    "* `/reconfigure` to dynamically reload the chat server settings file\n"
    "* `/help-advanced` to show this message";

// Plain.
inline constexpr std::string_view kNsfwUsage =
    "Usage: `/nsfw username` to add the NSFW flag to their camera.";
inline constexpr std::string_view kCutUsage = "Usage: `/cut username` to turn their camera off.";
inline constexpr std::string_view kKickSelf = "/kick: did you really mean to kick yourself?";
inline constexpr std::string_view kKicked = "has been kicked from the room!";
inline constexpr std::string_view kBanned = "has been banned!";
inline constexpr std::string_view kNsfwReminder =
    "Just a friendly reminder to mark your camera as 'Explicit' by using the button at the top "
    "of the page if you are going to be sexual on webcam.<br><br>";
inline constexpr std::string_view kNsfwMarkedAnonymously =
    "Your camera was detected to depict 'Explicit' activity and has been marked for you.";
inline constexpr std::string_view kKickAllRelogin =
    "<strong>Notice:</strong> The chat operator has requested that you log back in to the chat "
    "room. Probably, this is because a new feature was launched that needs you to reload the "
    "page. You may refresh the tab or <a href=\"{}\">click here</a> to re-enter the room.";
inline constexpr std::string_view kKickAll =
    "<strong>Notice:</strong> The chat operator has kicked everybody from the room. Usually, this "
    "may mean a new feature of the chat has been launched and you need to reload the page for it "
    "to function correctly.";
inline constexpr std::string_view kReloaded =
    "The server config file has been reloaded successfully!";
inline constexpr std::string_view kBannedAtLogin =
    "You are currently banned from entering the chat room. Chat room bans are temporary and "
    "usually last for 24 hours.<br><br>Your ban expires in: ";

}  // namespace chat::text::cmd
