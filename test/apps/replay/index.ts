/** A small app of orchestrations and activities for the replay-engine tests (not product code). */
import './activities';
import './orchestrations';
import './longTimers';
