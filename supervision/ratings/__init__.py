"""好差评: applicants rate their case (GB/T 39734/39735); bad ratings are rectified."""
