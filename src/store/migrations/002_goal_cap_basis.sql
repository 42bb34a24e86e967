-- 002: the legal cap of an "of which" goal is measured against its own group
-- (excellent ratings may not exceed 20% of "good" ones; emulation fighters 15% of advanced
-- workers), which is not always the goal's denominator. NULL: the cap applies to the value.
ALTER TABLE goals ADD COLUMN cap_denominator VARCHAR;
