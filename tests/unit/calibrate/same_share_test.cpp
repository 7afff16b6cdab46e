// Re-expressing a threshold at the same share of leads, as a round number.
#include <doctest/doctest.h>

#include <vector>

#include "calibrate/same_share.hpp"

using namespace leadscore::calibrate;

TEST_CASE("same share: count_selected for each side") {
  const std::vector<double> v{1, 2, 2, 3, 5};
  CHECK(count_selected(v, Side::AtLeast, 2) == 4);
  CHECK(count_selected(v, Side::Above, 2) == 2);
  CHECK(count_selected(v, Side::AtMost, 2) == 3);
  CHECK(count_selected(v, Side::Below, 2) == 1);
  CHECK(count_selected(v, Side::AtLeast, 6) == 0);
}

TEST_CASE("same share: the threshold selecting the same number of leads, as a round number") {
  // Calibrated values of ten leads; the written threshold selected 3 of them.
  const std::vector<double> v{-4.2, 0, 0, 11.3, 17.9, 23.4, 37.1, 52.8, 61.2, 88.6};
  double t = same_share_threshold(v, Side::AtLeast, 3);
  CHECK(count_selected(v, Side::AtLeast, t) == 3);
  CHECK(t == 50);  // the roundest number in (37.1, 52.8]
  t = same_share_threshold(v, Side::Above, 3);
  CHECK(count_selected(v, Side::Above, t) == 3);
  t = same_share_threshold(v, Side::AtMost, 3);
  CHECK(count_selected(v, Side::AtMost, t) == 3);
  CHECK(t == 0);  // [0, 11.3)
  t = same_share_threshold(v, Side::Below, 4);
  CHECK(count_selected(v, Side::Below, t) == 4);
  CHECK(t == 15);  // (11.3, 17.9]
}

TEST_CASE("same share: ties make some counts impossible: the nearest wins, the larger on a tie") {
  const std::vector<double> v{1, 2, 2, 2, 2, 3};
  // 3 leads at >= t is impossible: 1 (t in (2, 3]) or 5 (t in (1, 2]); 5 is further. 2 away vs 2 away -> larger.
  CHECK(count_selected(v, Side::AtLeast, same_share_threshold(v, Side::AtLeast, 3)) == 5);
  CHECK(count_selected(v, Side::AtLeast, same_share_threshold(v, Side::AtLeast, 2)) == 1);
}

TEST_CASE("same share: none and all") {
  const std::vector<double> v{10, 20, 30};
  double none = same_share_threshold(v, Side::AtLeast, 0);
  CHECK(count_selected(v, Side::AtLeast, none) == 0);
  CHECK(none > 30);
  double all = same_share_threshold(v, Side::AtLeast, 3);
  CHECK(count_selected(v, Side::AtLeast, all) == 3);
  CHECK(all <= 10);
  double held_none = same_share_threshold(v, Side::Above, 0);  // a max that holds no lead
  CHECK(held_none >= 30);
  double floor_none = same_share_threshold(v, Side::Below, 0);  // a min that holds no lead
  CHECK(floor_none <= 10);
}

TEST_CASE("same share: round numbers between two values") {
  CHECK(round_number_between(37.1, 52.8, false, true) == 50);
  CHECK(round_number_between(37.1, 47.8, false, true) == 40);
  CHECK(round_number_between(30, 40, false, true) == 40);  // (30, 40]
  CHECK(round_number_between(30, 40, true, false) == 30);  // [30, 40)
  CHECK(round_number_between(52.1, 52.2, false, true) == 52.2);  // exactly the double read from "52.2"
  CHECK(round_number_between(52.1, 52.2, true, false) == 52.1);
  CHECK(round_number_between(0.1 + 0.2, 0.4, false, true) == 0.4);
  CHECK(round_number_between(-7.3, -2.1, false, true) == -5);
  CHECK(round_number_between(-0.4, 0.3, false, false) == 0);
  CHECK(round_number_between(5, 5, true, true) == 5);
}
