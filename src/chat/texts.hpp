// The fixed English texts the server sends (those of the original, where it
// has one).
#pragma once

#include <string_view>

namespace chat::text {

inline constexpr std::string_view kMustLogIn = "You must log in first.";
inline constexpr std::string_view kUnsupported = "Unsupported message type: ";
inline constexpr std::string_view kAuthExpired =
    "Your authentication has expired. Please go back and launch the chat room again.";
inline constexpr std::string_view kAuthRequired =
    "Server side authentication is required. Please go back and launch the chat room from your "
    "logged-in account.";
inline constexpr std::string_view kSignedOutElsewhere =
    "You have been signed out of chat because you logged in from another location.";
inline constexpr std::string_view kAlreadyLoggedIn = "You are already logged in.";
inline constexpr std::string_view kJoined = "has joined the room!";
inline constexpr std::string_view kExited = "has exited the room!";
inline constexpr std::string_view kTimedOut = "has timed out!";
inline constexpr std::string_view kNotYourMessage = "That is not your message to take back.";
inline constexpr std::string_view kShutdown = "The chat server is going down for a reboot NOW!";
inline constexpr std::string_view kNoBlockOperator =
    "You are not allowed to block a chat operator.";
inline constexpr std::string_view kVipChannelOnly =
    "Only VIP members and operators can post in that channel.";
inline constexpr std::string_view kBadStatus =
    "That status is not valid: use up to 32 letters, digits, '-' or '_'.";
inline constexpr std::string_view kBadReaction = "A reaction must be an emoji of at most 32 bytes.";
inline constexpr std::string_view kListTooLong = "That list is too long.";
inline constexpr std::string_view kNeedsUsername = "That action needs a username.";
inline constexpr std::string_view kVideoNotEnabled = "Their video is not currently enabled.";
inline constexpr std::string_view kNoPermission = "You do not have permission to view that camera.";
inline constexpr std::string_view kOpeningTooFast =
    "You are opening cameras too quickly: please wait a moment.";
inline constexpr std::string_view kNoPhotosHere = "Photo sharing in this channel is not available.";
inline constexpr std::string_view kUnsupportedImage =
    "Unsupported image type, should be a jpeg, GIF or png.";
inline constexpr std::string_view kPicturesPending =
    "Please wait: your last pictures are still being processed.";
inline constexpr std::string_view kContextWouldBeReported =
    "Your recent chat context would have been reported to your main website.";
inline constexpr std::string_view kLinkSpamKick =
    "<strong>Spam Detected:</strong> You have pasted the same URL link to too many different "
    "people in a row, and this has been flagged as spam.<br><br>You will now be kicked from the "
    "chat room. You may refresh and log back in, however, if you continue to spam this link one "
    "more time, you <strong>will be temporarily banned from the chat room.</strong>";
inline constexpr std::string_view kLinkSpamBan =
    "<strong>Spam Detected:</strong> You recently were kicked from the chat room because you had "
    "already pasted this link to too many different people. You were warned that spamming this "
    "link one more time would result in a temporary ban from the chat room.<br><br><strong>You "
    "are now (temporarily) banned from the chat room.</strong>";
inline constexpr std::string_view kReportWebhookOff =
    "Unfortunately, the report webhook is not enabled so your report could not be received!";
inline constexpr std::string_view kReportDelivered = "Your report has been delivered successfully.";
inline constexpr std::string_view kReportsPending =
    "Please wait: your earlier reports are still being sent to the website.";
inline constexpr std::string_view kFilterReportComment =
    "This is an automated report via server side chat filters.\n\nThe recent context in this "
    "channel included the following conversation:\n\n";
inline constexpr std::string_view kSignalTooLarge = "That WebRTC message is too large to relay.";

}  // namespace chat::text
