package io.jtorrent.daemon;

import java.time.DayOfWeek;

/**
 * Transmission's alt-speed schedule ("turtle mode" by time of day): a window from {@code begin}
 * to {@code end} minutes after midnight, local time, on the days of a mask (Sunday 1, Monday 2,
 * Tuesday 4, ... Saturday 64; 62 weekdays, 65 weekends, 127 every day). A window whose end is
 * before its begin crosses midnight and belongs to the day it began on; an empty one (begin =
 * end) never holds. The daemon turns alternative speeds on when a window opens and off when it
 * closes; in between, the user may change them by hand.
 */
final class AltSpeedSchedule {
    private AltSpeedSchedule() {}

    /** The mask bit of a day: Sunday 1 ... Saturday 64. */
    static int bit(DayOfWeek day) {
        return 1 << (day.getValue() % 7);
    }

    /** Whether the window holds at {@code minute} (0-1439) of {@code day}. */
    static boolean active(int minute, DayOfWeek day, int begin, int end, int days) {
        if (begin == end) {
            return false;
        }
        if (begin < end) {
            return (days & bit(day)) != 0 && minute >= begin && minute < end;
        }
        return ((days & bit(day)) != 0 && minute >= begin) || ((days & bit(day.minus(1))) != 0 && minute < end);
    }
}
